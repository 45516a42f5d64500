// Systems of chips run as a user runs them (Simulate, as `dsasim run`), and
// the scale-out principles as experiments with a derived expectation.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/error.h"
#include "tools/run/simulation.h"

namespace dsasim {
namespace {

double Metric(const RunRecord& r, const std::string& name) {
  for (const MetricRecord& m : r.metrics) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

SimulationRequest Decode(const std::string& system, const std::string& model, int tp,
                         int layers = 2) {
  SimulationRequest req;
  req.system = system;
  req.model = model;
  req.build.phase = v1::PHASE_DECODE;
  req.build.batch = 16;
  req.build.context_len = 1024;
  req.build.layers = layers;
  req.build.tensor_parallel = tp;
  return req;
}

bool IsLink(const OpRecord& op) { return op.engine == "link"; }

// Seconds chip `chip` spent in ops other than communication.
double ComputeSeconds(const RunRecord& r, int chip) {
  double s = 0;
  for (const OpRecord& op : r.ops) {
    if (op.chip == chip && !IsLink(op)) s += (op.end_ps - op.start_ps) * 1e-12;
  }
  return s;
}

TEST(MultiChip, Tp8DecodeOnDgxH100RunsEveryChipAndItsAllReducesOnTheLinks) {
  Simulation sim = Simulate(Decode("dgx-h100", "llama3-8b", 8));
  const RunRecord& r = sim.record;
  EXPECT_EQ(Metric(r, "chips"), 8);
  std::map<int, int> compute_ops, link_ops;
  for (const OpRecord& op : r.ops) {
    (IsLink(op) ? link_ops : compute_ops)[op.chip]++;
    if (IsLink(op)) {
      EXPECT_EQ(op.bound, "communication") << op.name;
      EXPECT_GT(op.end_ps, op.start_ps) << op.name;
    }
  }
  EXPECT_EQ(compute_ops.size(), 8u);
  EXPECT_EQ(link_ops.size(), 8u);
  // Two all-reduces per layer, the embedding's all-reduce and the head's
  // all-gather, on every chip.
  EXPECT_EQ(link_ops[0], 2 * 2 + 2);
  EXPECT_GT(Metric(r, "link_bytes"), 0);
  EXPECT_GT(Metric(r, "exposed_communication_s"), 0);
  EXPECT_LE(Metric(r, "exposed_communication_s"), Metric(r, "communication_s") + 1e-15);
  EXPECT_FALSE(sim.execution.busiest_link.empty());
  // Link rows are named after the link and belong to the chip they leave
  // (or, out of the switch, enter). A bug stored "link.link chip0->switch"
  // as chip 0 for every link.
  std::map<std::string, int> link_rows;
  bool scoped_rows = false;
  for (const TimelineRecord& row : r.timeline) {
    if (row.component.rfind("link.", 0) == 0) link_rows[row.component] = row.chip;
    scoped_rows |= row.component.rfind("chip7.", 0) == 0 && row.chip == 7;
  }
  ASSERT_FALSE(link_rows.empty());
  for (const auto& [name, chip] : link_rows) {
    const size_t at = name.find("chip");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_EQ(chip, std::stoi(name.substr(at + 4))) << name;
    EXPECT_EQ(name.find(' '), std::string::npos) << name;
  }
  EXPECT_TRUE(scoped_rows);
}

TEST(MultiChip, TheSameRequestGivesIdenticalRecords) {
  SimulationRequest req = Decode("dgx-h100", "llama3-8b", 4);
  Simulation a = Simulate(req), b = Simulate(req);
  ASSERT_EQ(a.record.ops.size(), b.record.ops.size());
  for (size_t i = 0; i < a.record.ops.size(); ++i) {
    EXPECT_EQ(a.record.ops[i].start_ps, b.record.ops[i].start_ps);
    EXPECT_EQ(a.record.ops[i].end_ps, b.record.ops[i].end_ps);
  }
  ASSERT_EQ(a.record.metrics.size(), b.record.metrics.size());
  for (size_t i = 0; i < a.record.metrics.size(); ++i) {
    EXPECT_EQ(a.record.metrics[i].value, b.record.metrics[i].value)
        << a.record.metrics[i].name;
  }
}

TEST(MultiChip, AWorkloadForMoreChipsThanTheSystemHasIsRefusedByName) {
  try {
    Simulate(Decode("h100", "llama3-8b", 8));
    FAIL() << "ran TP8 on one chip";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 8 chips"), std::string::npos) << e.what();
  }
}

// Principle (b): halving link bandwidth raises exposed communication and
// leaves every chip's compute exactly as it was.
TEST(ScaleOutPrinciples, HalvingLinkBandwidthRaisesExposedCommunicationNotCompute) {
  for (const char* system : {"dgx-h100", "tpu-v5e-2x4"}) {
    SimulationRequest fast = Decode(system, "llama3-8b", 8);
    SimulationRequest slow = fast;
    Simulation f = Simulate(fast);
    const std::string bandwidth = f.system.interconnect().link_bandwidth();
    double value = std::stod(bandwidth);
    std::string unit = bandwidth.substr(bandwidth.find_first_not_of("0123456789.e+-"));
    slow.overrides = {"interconnect.link_bandwidth=" + std::to_string(value / 2) + unit};
    Simulation s = Simulate(slow);
    EXPECT_GT(Metric(s.record, "exposed_communication_s"),
              Metric(f.record, "exposed_communication_s"))
        << system;
    EXPECT_GT(Metric(s.record, "latency_s"), Metric(f.record, "latency_s")) << system;
    for (int chip = 0; chip < 8; ++chip) {
      EXPECT_DOUBLE_EQ(ComputeSeconds(s.record, chip), ComputeSeconds(f.record, chip))
          << system << " chip " << chip;
    }
  }
}

// Principle (a): collectives on dedicated communication engines take no
// core time; on the compute cores their reductions do, and the step is
// longer by that time (every reduction of a ring all-reduce is on its
// critical path).
TEST(ScaleOutPrinciples, MovingCollectivesOffTheComputeCoresSavesTheTimeTheyTook) {
  SimulationRequest engine = Decode("dgx-a100", "llama3-8b", 8);
  engine.overrides = {"interconnect.collective_engine=COLLECTIVE_ENGINE_DEDICATED"};
  SimulationRequest cores = engine;
  cores.overrides = {"interconnect.collective_engine=COLLECTIVE_ENGINE_COMPUTE_CORES"};
  Simulation e = Simulate(engine);
  Simulation c = Simulate(cores);
  double core_busy = 0;
  for (const OpRecord& op : c.record.ops) {
    if (op.chip == 0 && IsLink(op)) {
      const size_t at = op.lowering.find("\"core_busy_s\":");
      ASSERT_NE(at, std::string::npos) << op.lowering;
      core_busy += std::stod(op.lowering.substr(at + 14));
    }
  }
  ASSERT_GT(core_busy, 0);
  const double saved = Metric(c.record, "latency_s") - Metric(e.record, "latency_s");
  EXPECT_NEAR(saved, core_busy, 0.05 * core_busy)
      << "saved " << saved << " s, reductions took " << core_busy << " s";
  // The reductions' time shows on the cores' vector engines: all cores of
  // chip 0 for core_busy, over the run.
  const double vector_gain =
      Metric(c.record, "utilization_vector") * Metric(c.record, "latency_s") -
      Metric(e.record, "utilization_vector") * Metric(e.record, "latency_s");
  EXPECT_NEAR(vector_gain, core_busy, 0.02 * core_busy);
}

// Principle (c) without microbatches: two pipeline stages on an eight-chip
// system idle half their time, (p − 1) / p; the six chips the graph does
// not use are no stages.
TEST(ScaleOutPrinciples, TwoStagesWithoutMicrobatchesIdleHalfTheTime) {
  SimulationRequest req = Decode("dgx-h100", "llama3-8b", 1, 4);
  req.build.pipeline_parallel = 2;
  Simulation sim = Simulate(req);
  EXPECT_NEAR(Metric(sim.record, "pipeline_bubble_fraction"), 0.5, 0.025);
}

// Principle (d): Zipf routing loads some experts more than others; their
// chips are stragglers, and the step waits for them.
TEST(ScaleOutPrinciples, ZipfRoutingMakesExpertParallelStepsSlowerAndTheHotChipBusiest) {
  SimulationRequest uniform;
  uniform.system = "dgx-h100";
  uniform.model = "mixtral-8x7b";
  uniform.build.phase = v1::PHASE_DECODE;
  uniform.build.batch = 64;
  uniform.build.context_len = 512;
  uniform.build.layers = 1;
  uniform.build.expert_parallel = 8;
  SimulationRequest zipf = uniform;
  zipf.build.routing = workloads::RoutingModel::kZipf;
  zipf.build.zipf_s = 1.2;
  Simulation u = Simulate(uniform);
  Simulation z = Simulate(zipf);
  EXPECT_GT(Metric(z.record, "latency_s"), Metric(u.record, "latency_s"));
  // The chip whose experts did the most FLOPs is the one busiest in time.
  std::map<int, double> expert_flops, busy;
  for (const OpRecord& op : z.record.ops) {
    if (op.name.find("moe.experts") != std::string::npos)
      expert_flops[op.chip] += op.flops;
    if (!IsLink(op)) busy[op.chip] += (op.end_ps - op.start_ps) * 1e-12;
  }
  auto argmax = [](const std::map<int, double>& m) {
    return std::max_element(
               m.begin(), m.end(),
               [](const auto& a, const auto& b) { return a.second < b.second; })
        ->first;
  };
  ASSERT_EQ(expert_flops.size(), 8u);
  EXPECT_EQ(argmax(busy), argmax(expert_flops));
}

}  // namespace
}  // namespace dsasim
