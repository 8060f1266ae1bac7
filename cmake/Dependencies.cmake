# Every dependency comes from Debian's packages (see README's set-up command).
find_package(PkgConfig REQUIRED)
# SimGrid ships only simgrid.pc, not a CMake package.
pkg_check_modules(SimGrid REQUIRED IMPORTED_TARGET simgrid>=3.32)
find_package(HDF5 REQUIRED COMPONENTS C CXX)
find_package(Protobuf 3.21 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(Threads REQUIRED)

# HDF5's variables wrapped as one imported target.
add_library(gwsim_hdf5 INTERFACE)
target_include_directories(gwsim_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
target_link_libraries(gwsim_hdf5 INTERFACE ${HDF5_CXX_LIBRARIES} ${HDF5_LIBRARIES})
target_compile_definitions(gwsim_hdf5 INTERFACE ${HDF5_DEFINITIONS})
