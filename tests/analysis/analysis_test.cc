// `gwsim report` and `gwsim compare` as users run them, on HDF5 files that `gwsim run` writes here
// from the quickstart scenario with --set overrides (and, for the sweep input and foreign files,
// h5py through write_inputs.py). Checks exit codes, messages, that the expected files exist and are
// non-empty, and that each HTML page links every PNG of its folder and nothing else.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/command_line.h"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = GWSIM_SOURCE_DIR;
const std::string kWriteInputs = (kSource / "tests/analysis/write_inputs.py").string();
// Small runs: three steps of the quickstart job, power sampled every 10 ms.
const std::string kTiny = (kSource / "configs/quickstart.yaml").string() +
                          " -q --set workload.jobs[0].data_parallel.steps=3";

using gwsim::testing::read_text;
using Outcome = gwsim::testing::CommandOutcome;

// The relative PNG links of an HTML page.
std::set<std::string> png_links(const std::string& html) {
  std::set<std::string> links;
  const std::regex img(R"re(<img src="([^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), img); it != std::sregex_iterator();
       ++it) {
    links.insert((*it)[1]);
  }
  return links;
}

std::set<std::string> png_files(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".png") names.insert(e.path().filename().string());
  }
  return names;
}

class Analysis : public gwsim::testing::CommandTest {
 protected:
  Analysis() : CommandTest("gwsim-analysis") {}

  // Runs the tiny quickstart with extra --set/--seed arguments into dir_/NAME.
  fs::path simulate(const std::string& name, const std::string& extra = "") const {
    fs::path out = dir_ / name;
    fs::create_directories(out.parent_path());
    const Outcome o = gwsim("run " + kTiny + " -o " + out.string() + " " + extra);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    return out;
  }

  // Checks DIR/PAGE against the PNGs beside it and returns the page.
  std::string check_page(const fs::path& dir, const std::string& page, size_t min_figures) const {
    std::string html = read_text(dir / page);
    EXPECT_GT(html.size(), 1000u) << page;
    EXPECT_NE(html.find("</html>"), std::string::npos) << page;
    const std::set<std::string> files = png_files(dir);
    EXPECT_GE(files.size(), min_figures);
    EXPECT_EQ(png_links(html), files)
        << "the page must link every PNG of its folder, and only those";
    for (const std::string& png : files) {
      const std::string bytes = read_text(dir / png);
      EXPECT_GT(bytes.size(), 5000u) << png;
      EXPECT_EQ(bytes.substr(0, 8), "\x89PNG\r\n\x1a\n") << png;
    }
    return html;
  }
};

TEST_F(Analysis, ReportOfARunLinksEveryFigure) {
  const fs::path run = simulate("run.h5", "--set platform.nodes=3");
  const Outcome o = gwsim("report " + run.string() + " -o " + (dir_ / "report").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.err, "");
  // Breakdown, site power, its zoom, energy per accelerator.
  const std::string html = check_page(dir_ / "report", "report.html", 4);
  for (const char* png :
       {"breakdown_job0.png", "site_power.png", "site_power_zoom.png", "accelerator_energy.png"}) {
    EXPECT_TRUE(fs::exists(dir_ / "report" / png)) << png;
  }
  // The scenario summary comes from the root attributes: the override and the 3 x 8 accelerators.
  EXPECT_NE(html.find("platform.nodes=3"), std::string::npos);
  EXPECT_NE(html.find("n2.a7"), std::string::npos) << "the 24th accelerator's row";
  EXPECT_EQ(html.find("n3.a0"), std::string::npos);
}

TEST_F(Analysis, ReportSaysWhichDataTheFileLacks) {
  const fs::path run = simulate("run.h5", "--set 'record.power_interval=\"\"'");
  const Outcome o = gwsim("report " + run.string() + " -o " + (dir_ / "report").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string html = check_page(dir_ / "report", "report.html", 2);
  EXPECT_NE(html.find("This file has no site power series"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "report/site_power.png"));
  EXPECT_FALSE(fs::exists(dir_ / "report/site_power_zoom.png"));
  EXPECT_TRUE(fs::exists(dir_ / "report/breakdown_job0.png"));
}

TEST_F(Analysis, ReportSaysWhenFacilityAndNetworkDataAreAbsent) {
  const fs::path run = simulate("run.h5");
  const fs::path stripped = dir_ / "stripped.h5";
  ASSERT_EQ(shell(std::string(GWSIM_PYTHON) + " " + kWriteInputs + " strip " + run.string() + " " +
                  stripped.string() + " facility network")
                .exit_code,
            0);
  const Outcome o = gwsim("report " + stripped.string() + " -o " + (dir_ / "report").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string html = check_page(dir_ / "report", "report.html", 4);
  EXPECT_NE(html.find("This file has no facility data"), std::string::npos);
  EXPECT_NE(html.find("This file has no per-link network data"), std::string::npos);
}

// Data that other layers add (a /facility group, per-rack power, a /network table) is drawn from
// what it holds: series beside an end_s axis grouped by unit, tables sorted hottest first.
TEST_F(Analysis, ReportDrawsFacilityRackAndLinkData) {
  const fs::path run = simulate("run.h5");
  const fs::path extended = dir_ / "extended.h5";
  ASSERT_EQ(shell(std::string(GWSIM_PYTHON) + " " + kWriteInputs + " extras " + run.string() + " " +
                  extended.string())
                .exit_code,
            0);
  const Outcome o = gwsim("report " + extended.string() + " -o " + (dir_ / "report").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string html = check_page(dir_ / "report", "report.html", 10);
  for (const char* png :
       {"facility_power.png", "facility_overheads.png", "facility_pue.png", "facility_outside.png",
        "facility_other_humidity.png", "power_racks_power.png"}) {
    EXPECT_TRUE(fs::exists(dir_ / "report" / png)) << png;
  }
  EXPECT_FALSE(fs::exists(dir_ / "report/facility_throttle.png"));
  EXPECT_NE(html.find("Not drawn, constant over the run: /facility/storage_w"), std::string::npos);
  EXPECT_NE(html.find("/facility/throttle (throttle factor)"), std::string::npos);
  EXPECT_EQ(html.find("This file has no facility data"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"text\">pue</td><td>1.25</td>"), std::string::npos);
  // Links sorted by utilisation: 0.7 (n1) before 0.2 (n0) before 0.1 (n2).
  const size_t n0 = html.find("n0-switch"), n1 = html.find("n1-switch"),
               n2 = html.find("n2-switch");
  ASSERT_NE(n0, std::string::npos);
  ASSERT_NE(n2, std::string::npos);
  EXPECT_LT(n1, n0);
  EXPECT_LT(n0, n2);
}

TEST_F(Analysis, ReportZoomWindowIsChecked) {
  const fs::path run = simulate("run.h5");
  const std::string report = "report " + run.string() + " -o " + (dir_ / "report").string();
  const Outcome ok = gwsim(report + " --zoom 0.5:1.25");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(read_text(dir_ / "report/report.html").find("Zoom on [0.5 s, 1.25 s]"),
            std::string::npos);
  const Outcome reversed = gwsim(report + " --zoom 2:1");
  EXPECT_EQ(reversed.exit_code, 2);
  EXPECT_EQ(reversed.err, "gwsim report: error: --zoom 2:1: expected 0 <= START < END\n");
  const Outcome garbled = gwsim(report + " --zoom 1-2");
  EXPECT_EQ(garbled.exit_code, 2);
  EXPECT_NE(garbled.err.find("expected START:END in seconds"), std::string::npos) << garbled.err;
  const Outcome late = gwsim(report + " --zoom 1000:1001");
  EXPECT_EQ(late.exit_code, 2);
  EXPECT_NE(late.err.find("starts after the run ended"), std::string::npos) << late.err;
}

TEST_F(Analysis, CompareListsHeadlinesAndDifferingFields) {
  const fs::path a = simulate("fast.h5");
  const fs::path b = simulate("slow.h5", "--set platform.scale_out.nic_bandwidth=100Gbps");
  const Outcome o =
      gwsim("compare " + a.string() + " " + b.string() + " -o " + (dir_ / "cmp").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string html = check_page(dir_ / "cmp", "compare.html", 4);
  // The only differing field, with both values; fields equal in both runs are not listed.
  EXPECT_NE(html.find("<th class=\"text\">platform.scale_out.nic_bandwidth</th>"),
            std::string::npos);
  EXPECT_NE(html.find(">100Gbps<"), std::string::npos);
  EXPECT_NE(html.find(">400Gbps<"), std::string::npos);
  EXPECT_EQ(html.find("<th class=\"text\">seed</th>"), std::string::npos);
  // headline.csv: a header and one row per run, with the three steps each run made.
  std::istringstream csv(read_text(dir_ / "cmp/headline.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("run,simulated time [s],wall time [s],steps,mean step [s]", 0), 0u)
      << lines[0];
  EXPECT_EQ(lines[1].rfind("fast,", 0), 0u);
  EXPECT_EQ(lines[2].rfind("slow,", 0), 0u);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells;
    std::stringstream row(lines[i]);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    ASSERT_GE(cells.size(), 5u);
    EXPECT_EQ(cells[3], "3") << lines[i];
    // The mean step is the span of the three steps over three (durations add up end to end).
    const fs::path run = i == 1 ? a : b;
    const Outcome span =
        shell(std::string(GWSIM_PYTHON) + " -c \"import h5py; s = h5py.File('" + run.string() +
              "')['steps'][:]; print(repr((s['end_s'][-1] - s['start_s'][0]) / 3))\"");
    ASSERT_EQ(span.exit_code, 0) << span.err;
    EXPECT_NEAR(std::stod(cells[4]), std::stod(span.out), 1e-12 * std::stod(span.out)) << lines[i];
  }
}

TEST_F(Analysis, CompareExpandsASweepIndexToItsFinishedPoints) {
  const fs::path p0 = simulate("points/0.h5");
  const fs::path p1 = simulate("points/1.h5", "--set platform.nodes=4");
  const fs::path plain = simulate("plain.h5", "--seed 7");
  const fs::path sweep = dir_ / "sweep.h5";
  const Outcome w = shell(std::string(GWSIM_PYTHON) + " " + kWriteInputs + " sweep " +
                          sweep.string() + " " + p0.string() + ":done:2 " + p1.string() +
                          ":done:4 " + (dir_ / "points/2.h5").string() + ":failed:8");
  ASSERT_EQ(w.exit_code, 0) << w.err;
  const Outcome o =
      gwsim("compare " + sweep.string() + " " + plain.string() + " -o " + (dir_ / "cmp").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string html = check_page(dir_ / "cmp", "compare.html", 4);
  EXPECT_NE(html.find("sweep#0 (nodes=2)"), std::string::npos);
  EXPECT_NE(html.find("sweep#1 (nodes=4)"), std::string::npos);
  EXPECT_NE(html.find("point 2 left out (status failed): exit code 2: the test says so"),
            std::string::npos);
  const std::string csv = read_text(dir_ / "cmp/headline.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4) << csv;  // header + 2 points + plain

  // The sweep alone: its points are plotted against the swept field.
  const Outcome alone = gwsim("compare " + sweep.string() + " -o " + (dir_ / "alone").string());
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  check_page(dir_ / "alone", "compare.html", 5);
  EXPECT_TRUE(fs::exists(dir_ / "alone/sweep_axis.png"));

  // A point file that has gone missing is named.
  fs::remove(p1);
  const Outcome missing = gwsim("compare " + sweep.string() + " -o " + (dir_ / "cmp2").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("points/1.h5: no such file"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir_ / "cmp2"));
}

TEST_F(Analysis, MalformedInputIsRejectedWithExitTwo) {
  const fs::path run = simulate("run.h5");
  const fs::path text = dir_ / "notes.h5", foreign = dir_ / "foreign.h5", future = dir_ / "v99.h5";
  std::ofstream(text) << "not HDF5\n";
  const std::string py = std::string(GWSIM_PYTHON) + " " + kWriteInputs;
  ASSERT_EQ(shell(py + " foreign " + foreign.string()).exit_code, 0);
  ASSERT_EQ(shell(py + " version " + run.string() + " " + future.string() + " 99").exit_code, 0);
  const std::string out = " -o " + (dir_ / "out").string();
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"report " + (dir_ / "absent.h5").string() + out,
       "gwsim report: error: " + (dir_ / "absent.h5").string() + ": no such file\n"},
      {"report " + text.string() + out, "gwsim report: error: " + text.string() +
                                            ": not an HDF5 file (expected a file written by "
                                            "`gwsim run`)\n"},
      {"report " + foreign.string() + out,
       "gwsim report: error: " + foreign.string() +
           ": not a gwsim file (root attribute format = \"gwsim\" expected, found no such "
           "attribute)\n"},
      {"report " + future.string() + out, "gwsim report: error: " + future.string() +
                                              ": gwsim layout version 99 is not one this script "
                                              "reads (1)\n"},
      {"compare " + run.string() + " " + foreign.string() + out,
       "gwsim compare: error: " + foreign.string() +
           ": not a gwsim file (root attribute format = \"gwsim\" or \"gwsim-sweep\" expected, "
           "found no such attribute)\n"},
      {"compare " + run.string() + out,
       "gwsim compare: error: 1 run to compare (after expanding sweeps); give at least two\n"},
      {"report " + run.string() + " -o " + (dir_ / "no/such/folder").string(),
       "gwsim report: error: -o " + (dir_ / "no/such/folder").string() + ": the folder " +
           (dir_ / "no/such").string() + " does not exist\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    const Outcome o = gwsim(c.args);
    EXPECT_EQ(o.exit_code, 2);
    EXPECT_EQ(o.err, c.message);
  }
  // Flags: argparse's usage message names the gwsim command.
  const Outcome no_output = gwsim("report " + run.string());
  EXPECT_EQ(no_output.exit_code, 2);
  EXPECT_EQ(no_output.err.rfind("usage: gwsim report", 0), 0u) << no_output.err;
  EXPECT_EQ(gwsim("compare " + run.string() + " " + run.string() + out + " --bogus").exit_code, 2);
  EXPECT_EQ(gwsim("report").exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "out")) << "no output folder after a rejected input";
  const Outcome help = gwsim("compare --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("usage: gwsim compare", 0), 0u) << help.out;
}

TEST_F(Analysis, ScriptsRunOnTheirOwn) {
  const fs::path run = simulate("run.h5");
  const Outcome o =
      shell(std::string(GWSIM_PYTHON) + " -B " + (kSource / "analysis/report.py").string() + " " +
            run.string() + " -o " + (dir_ / "report").string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  check_page(dir_ / "report", "report.html", 4);
  const Outcome bad =
      shell(std::string(GWSIM_PYTHON) + " -B " + (kSource / "analysis/compare.py").string() + " " +
            run.string() + " -o " + (dir_ / "cmp").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.rfind("compare.py: error: ", 0), 0u) << bad.err;
}

// docs/analysis.md's notebook examples, run as written in a folder holding quickstart.h5 and
// sweep.h5.
TEST_F(Analysis, DocumentationExamplesRun) {
  const fs::path run = simulate("quickstart.h5");
  const std::string py = std::string(GWSIM_PYTHON);
  ASSERT_EQ(shell(py + " " + kWriteInputs + " sweep " + (dir_ / "sweep.h5").string() + " " +
                  run.string() + ":done:2")
                .exit_code,
            0);
  const std::string doc = read_text(kSource / "docs/analysis.md");
  const std::regex block("```python\n([\\s\\S]*?)```");
  int examples = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), block); it != std::sregex_iterator();
       ++it, ++examples) {
    const fs::path script = dir_ / ("example" + std::to_string(examples) + ".py");
    std::ofstream(script) << (*it)[1];
    SCOPED_TRACE(script.filename().string() + ":\n" + (*it)[1].str());
    const Outcome o = shell("cd '" + dir_.string() + "' && " + py + " -B " + script.string());
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_FALSE(o.out.empty());
  }
  EXPECT_EQ(examples, 2);
}

}  // namespace
