// docs/scenario.md is the users' reference: it must name every field of the schema by its full
// path.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/config/scenario.pb.h"

namespace gwsim::config {
namespace {

namespace pbuf = google::protobuf;

void collect_paths(const pbuf::Descriptor& type, const std::string& prefix,
                   std::vector<std::string>& out) {
  for (int i = 0; i < type.field_count(); ++i) {
    const pbuf::FieldDescriptor& field = *type.field(i);
    const std::string path = prefix.empty() ? field.name() : prefix + "." + field.name();
    out.push_back(path);
    if (field.message_type() != nullptr) {
      collect_paths(*field.message_type(), field.is_repeated() ? path + "[]" : path, out);
    }
  }
}

TEST(SchemaDoc, ScenarioReferenceNamesEveryField) {
  std::ifstream in(std::string(GWSIM_SOURCE_DIR) + "/docs/scenario.md");
  ASSERT_TRUE(in) << "docs/scenario.md is missing";
  std::stringstream doc;
  doc << in.rdbuf();
  std::vector<std::string> paths;
  collect_paths(*pb::Scenario::descriptor(), "", paths);
  ASSERT_GT(paths.size(), 20u);
  for (const std::string& path : paths) {
    EXPECT_NE(doc.str().find("`" + path + "`"), std::string::npos)
        << "docs/scenario.md does not document " << path;
  }
}

}  // namespace
}  // namespace gwsim::config
