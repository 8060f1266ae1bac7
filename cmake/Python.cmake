# The analysis scripts and the output-layout test need an interpreter that imports Debian's h5py, numpy
# and matplotlib. On these machines `python3` on PATH may be a separate interpreter that does not see
# Debian's python3-* packages, so try candidates in order and keep the first that imports all three.
set(GWSIM_PYTHON "" CACHE FILEPATH "Python interpreter that imports h5py, numpy and matplotlib")
if(NOT GWSIM_PYTHON)
  find_program(_path_python3 NAMES python3)
  set(_candidates /usr/bin/python3 ${_path_python3} /usr/local/bin/python3)
  foreach(_py IN LISTS _candidates)
    if(_py AND EXISTS "${_py}")
      execute_process(COMMAND "${_py}" -c "import h5py, numpy, matplotlib"
                      RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
      if(_rc EQUAL 0)
        set(GWSIM_PYTHON "${_py}" CACHE FILEPATH "Python interpreter that imports h5py, numpy and matplotlib" FORCE)
        break()
      endif()
    endif()
  endforeach()
endif()
if(NOT GWSIM_PYTHON)
  message(FATAL_ERROR "gwsim needs a Python 3 interpreter that imports h5py, numpy and matplotlib. "
          "Install Debian's python3-h5py python3-numpy python3-matplotlib (see README), or pass "
          "-DGWSIM_PYTHON=/path/to/python3.")
endif()
message(STATUS "gwsim analysis interpreter: ${GWSIM_PYTHON}")
