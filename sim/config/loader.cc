#include "sim/config/loader.h"

#include <fstream>
#include <sstream>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include "sim/config/build_scenario.h"
#include "sim/config/overrides.h"
#include "sim/config/scenario.pb.h"
#include "sim/config/yaml_mapping.h"
#include "sim/core/sha256.h"

namespace gwsim::config {
namespace {

namespace pbuf = google::protobuf;

// Collects the first error of the text-format parser with its line.
class TextFormatErrors : public pbuf::io::ErrorCollector {
 public:
  void AddError(int line, pbuf::io::ColumnNumber, const std::string& message) override {
    if (first_.empty()) {
      first_ = message;
      line_ = line + 1;
    }
  }
  const std::string& message() const { return first_; }
  int line() const { return line_; }

 private:
  std::string first_;
  int line_ = 0;
};

// The text as a YAML tree. Text format goes through its own parser and back out as JSON, so that
// overrides and the schema checks are the same for every format (its later checks then name fields
// but not lines).
YAML::Node parse_tree(std::string_view text, Format format, const std::string& name) {
  if (format == Format::kTextProto) {
    pb::Scenario message;
    pbuf::TextFormat::Parser parser;
    TextFormatErrors errors;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(std::string(text), &message)) {
      throw InputError({name, errors.line()}, "", "protobuf text format: " + errors.message());
    }
    std::string json;
    pbuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    if (!pbuf::util::MessageToJsonString(message, &json, options).ok()) {
      throw InputError({name, 0}, "", "could not re-encode the text-format scenario");
    }
    return YAML::Load(json);
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull())
      throw InputError({name, 0}, "", "the file is empty; expected a scenario mapping");
    return root;
  } catch (const YAML::Exception& e) {
    const char* what = format == Format::kJson ? "JSON syntax error: " : "YAML syntax error: ";
    throw InputError({name, e.mark.is_null() ? 0 : e.mark.line + 1}, "", what + e.msg);
  }
}

Format format_of(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".yaml" || ext == ".yml") return Format::kYaml;
  if (ext == ".json") return Format::kJson;
  if (ext == ".textproto" || ext == ".pbtxt") return Format::kTextProto;
  throw InputError(
      {file.string(), 0}, "",
      "unknown scenario format \"" + ext + "\": expected .yaml, .yml, .json, .textproto or .pbtxt");
}

}  // namespace

Scenario load_scenario_text(std::string_view text, Format format, const std::string& display_name,
                            const LoadOptions& options) {
  detail::SourceMap sources(display_name);
  YAML::Node root = parse_tree(text, format, display_name);
  for (const std::string& assignment : options.overrides)
    detail::apply_override(root, assignment, sources);
  const std::string json = detail::yaml_to_json(root, *pb::Scenario::descriptor(), sources);

  pb::Scenario message;
  pbuf::util::JsonParseOptions parse_options;
  parse_options.ignore_unknown_fields = false;
  if (const auto status = pbuf::util::JsonStringToMessage(json, &message, parse_options);
      !status.ok()) {
    // The mapping above checks everything the JSON parser does; reaching here is a gap in that
    // check.
    throw InputError({display_name, 0}, "",
                     "does not match the schema: " + std::string(status.message()));
  }
  if (options.seed) message.set_seed(*options.seed);

  Scenario scenario = detail::build_scenario(message, sources);
  scenario.source.path = display_name;
  scenario.source.file_text = std::string(text);
  scenario.source.overrides = options.overrides;
  pbuf::util::JsonPrintOptions print_options;
  print_options.preserve_proto_field_names = true;
  if (!pbuf::util::MessageToJsonString(message, &scenario.source.canonical_json, print_options)
           .ok()) {
    throw std::logic_error("could not print a scenario that was just parsed");
  }
  scenario.source.sha256 = sha256_hex(scenario.source.canonical_json);
  return scenario;
}

Scenario load_scenario(const std::filesystem::path& file, const LoadOptions& options) {
  const Format format = format_of(file);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0}, "", "cannot open the scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError({file.string(), 0}, "", "cannot read the scenario file");
  return load_scenario_text(text.str(), format, file.string(), options);
}

}  // namespace gwsim::config
