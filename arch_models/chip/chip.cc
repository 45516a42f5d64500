#include "arch_models/chip/chip.h"

#include <algorithm>
#include <cassert>

#include "arch_models/dma/dma_transforms.h"
#include "arch_models/memory/hbm/hbm_timing.h"
#include "sim/error.h"

namespace dsasim::arch {

// Runs one core's steps as a software pipeline (see program.h). A repeated
// step is expanded here, one repetition at a time, so what runs is the step
// sequence the lowering emitted; only `buffers` steps are in flight, and the
// runner keeps state for those alone.
class Chip::CoreRunner {
 public:
  CoreRunner(Chip& chip, int core) : chip_(chip), core_(core) {
    clocks_[0] = chip.config_.core_hz;
    clocks_[1] = chip.config_.vector.hz;
    clocks_[2] = chip.config_.scalar.hz;
  }

  void Start(const CoreProgram& program) {
    program_ = &program;
    next_load_ = next_compute_ = computed_ = 0;
    load_at_ = compute_at_ = Position{};
    stores_pending_ = 0;
    finished_ = false;
    steps_ = static_cast<uint64_t>(program.StepCount());
    buffers_ = static_cast<uint32_t>(std::max(1, program.buffers));
    loads_ready_.assign(buffers_, Tick::Max());
    for (Tick& t : engine_free_) t = chip_.sim_.Now();
    IssueLoads();
    MaybeFinish();
  }

 private:
  // A step of the expanded sequence: a repetition of a program step.
  struct Position {
    uint32_t step = 0;  // index in CoreProgram::steps
    uint32_t rep = 0;   // repetition, < Step::repeat
  };
  Position Next(Position p) const {
    if (++p.rep == program_->steps[p.step].repeat) p = {p.step + 1, 0};
    return p;
  }
  // Slot of expanded step `i` among the `buffers` in flight: steps
  // [next_compute_, next_load_) are, and next_load_ < computed_ + buffers.
  Tick& LoadsReady(uint64_t i) { return loads_ready_[i % buffers_]; }
  // Repetition `rep` of transfer `i` of the program.
  Tick Issue(uint32_t i, uint32_t rep) {
    const Transfer& t = program_->transfers[i];
    if (rep == 0 || t.address_step == 0) {
      return chip_.IssueTransfer(core_, t, program_->segments);
    }
    Transfer moved = t;
    moved.address += uint64_t{rep} * t.address_step;
    return chip_.IssueTransfer(core_, moved, program_->segments);
  }

  void IssueLoads() {
    while (next_load_ < steps_ && next_load_ < computed_ + buffers_) {
      const Position at = load_at_;
      const Step& s = program_->steps[at.step];
      const uint64_t step = next_load_++;
      load_at_ = Next(load_at_);
      LoadsReady(step) = Tick::Max();
      if (s.address_cycles > 0) {
        // The scalar engine computes the step's descriptor addresses first
        // (in its in-order queue, behind earlier work); the DMA gets the
        // descriptors when it is done.
        const Tick issue =
            Reserve(EngineKind::kScalar, chip_.sim_.Now(), s.address_cycles);
        chip_.sim_.Post(
            issue,
            [this, step, at] {
              IssueStepLoads(step, at);
              ReserveCompute();
            },
            EventPriority::kIssue);
      } else {
        IssueStepLoads(step, at);
      }
    }
    ReserveCompute();
  }

  void IssueStepLoads(uint64_t step, Position at) {
    const Step& s = program_->steps[at.step];
    // Every descriptor's completion is known when it is issued (resources
    // are reserved), so the step needs one event: when its last load lands.
    Tick ready = chip_.sim_.Now();
    for (uint32_t i = 0; i < s.num_loads; ++i) {
      ready = Max(ready, Issue(s.first_load + i, at.rep));
    }
    if (s.num_loads == 0) {
      LoadsReady(step) = ready;
    } else {
      chip_.sim_.Post(
          ready, [this, step] { OnLoadsDone(step); }, EventPriority::kCompletion);
    }
  }

  // Reserves engine `kind` for `cycles` from `t` on, after its earlier work;
  // returns when it is done.
  Tick Reserve(EngineKind kind, Tick t, double cycles) {
    int e = static_cast<int>(kind);
    Tick start = Max(t, engine_free_[e]);
    Tick end = start + Tick::FromSeconds(cycles / clocks_[e]);
    engine_free_[e] = end;
    chip_.op_.engine_busy_ps[e] += static_cast<double>((end - start).ps());
    chip_.RecordBusy(chip_.tl_engine_[e], start, end);
    return end;
  }

  void OnLoadsDone(uint64_t step) {
    LoadsReady(step) = chip_.sim_.Now();
    ReserveCompute();
  }

  // Reserves the engines for every step whose operands have arrived, in
  // program order: an engine runs its instructions in order, and a step's
  // phases follow one another.
  void ReserveCompute() {
    while (next_compute_ < next_load_ && LoadsReady(next_compute_) != Tick::Max()) {
      const Position at = compute_at_;
      const Step& s = program_->steps[at.step];
      // Not before its operands landed, and not before now: a step whose
      // loads landed (or that had none) while a step ahead of it still
      // waited is dispatched in program order, now. Reserving from its
      // landing time would schedule its completion in the past.
      Tick t = Max(LoadsReady(next_compute_), chip_.sim_.Now());
      for (uint32_t i = 0; i < s.num_phases; ++i) {
        const ComputePhase& p = program_->phases[s.first_phase + i];
        chip_.op_.flops += p.flops;
        t = Reserve(p.engine, t, p.cycles);
      }
      ++next_compute_;
      compute_at_ = Next(compute_at_);
      chip_.sim_.Post(
          t, [this, at] { OnComputeDone(at); }, EventPriority::kCompletion);
    }
  }

  void OnComputeDone(Position at) {
    ++computed_;
    const Step& s = program_->steps[at.step];
    if (s.num_stores > 0) {
      Tick landed = chip_.sim_.Now();
      for (uint32_t i = 0; i < s.num_stores; ++i) {
        landed = Max(landed, Issue(s.first_store + i, at.rep));
      }
      ++stores_pending_;
      chip_.sim_.Post(
          landed, [this] { OnStoreDone(); }, EventPriority::kCompletion);
    }
    IssueLoads();
    MaybeFinish();
  }

  void OnStoreDone() {
    --stores_pending_;
    MaybeFinish();
  }

  void MaybeFinish() {
    if (finished_ || computed_ < steps_ || stores_pending_ > 0) return;
    finished_ = true;
    chip_.CoreFinished();
  }

  Chip& chip_;
  int core_;
  double clocks_[kNumEngineKinds];
  const CoreProgram* program_ = nullptr;
  // Counts of expanded steps: whose loads were issued, whose compute was
  // reserved, whose compute has finished; and of the whole program.
  uint64_t next_load_ = 0;
  uint64_t next_compute_ = 0;
  uint64_t computed_ = 0;
  uint64_t steps_ = 0;
  uint32_t buffers_ = 1;
  // Where next_load_ and next_compute_ are in the program.
  Position load_at_, compute_at_;
  uint32_t stores_pending_ = 0;
  bool finished_ = true;
  std::vector<Tick> loads_ready_;  // per buffer slot (LoadsReady)
  Tick engine_free_[kNumEngineKinds];
};

namespace {

HbmGeometry GeometryOf(const HbmConfig& h) {
  HbmGeometry g;
  g.channels = h.channels();
  g.interleave_bytes = static_cast<int64_t>(h.interleave_bytes);
  g.channel_bandwidth_Bps = h.channel_bandwidth();
  g.latency = h.latency;
  return g;
}

// Endpoints: the cores (endpoint = core = router), then the HBM ports, then
// the shared SRAM's ports.
MeshNocConfig MeshOf(const ChipConfig& chip) {
  const NocConfig& n = chip.noc;
  MeshNocConfig m;
  m.width = n.width;
  m.height = n.height;
  m.torus = n.kind == v1::NOC_TORUS;
  m.link_bandwidth = n.port_bandwidth;
  m.endpoint_bandwidth = n.endpoint_bandwidth;
  m.hop_latency = n.hop_latency;
  m.endpoint_latency = n.endpoint_latency;
  for (int c = 0; c < chip.cores; ++c) {
    m.endpoint_routers.push_back(c);
    m.endpoint_names.push_back("core " + std::to_string(c));
  }
  for (size_t p = 0; p < n.memory_routers.size(); ++p) {
    m.endpoint_routers.push_back(n.memory_routers[p]);
    m.endpoint_names.push_back("hbm port " + std::to_string(p));
  }
  for (size_t p = 0; p < n.shared_sram_routers.size(); ++p) {
    m.endpoint_routers.push_back(n.shared_sram_routers[p]);
    m.endpoint_names.push_back("sram port " + std::to_string(p));
  }
  return m;
}

}  // namespace

Chip::Chip(Simulator& sim, const ChipConfig& config, UtilizationTimeline* timeline,
           bool memoize)
    : sim_(sim),
      config_(config),
      timeline_(timeline),
      memoize_(memoize && TimingIsStateless(config)),
      hbm_(MakeHbmModel(HbmTimingPreset(config.hbm.technology), GeometryOf(config.hbm),
                        config.hbm.mode)),
      caches_(config.HasCache() ? std::make_unique<CacheHierarchy>(config) : nullptr),
      port_free_(config.cores),
      dma_(config.cores, std::vector<DmaEngineState>(config.dma.engines)) {
  if (config.noc.routed()) {
    noc_ = std::make_unique<MeshNoc>(MeshOf(config));
    link_timeline_ = std::make_unique<LinkTimeline>(*noc_, *timeline_);
    hbm_layout_ = std::make_unique<HbmFastModel>(HbmTimingPreset(config.hbm.technology),
                                                 GeometryOf(config.hbm));
    const int ports = static_cast<int>(config.noc.memory_routers.size());
    for (int c = 0; c < config.hbm.channels(); ++c) port_of_channel_.push_back(c % ports);
  }
  for (int c = 0; c < config.cores; ++c) {
    runners_.push_back(std::make_unique<CoreRunner>(*this, c));
  }
  double cores = config.cores;
  static const char* const kEngineNames[] = {"tensor", "vector", "scalar"};
  for (int e = 0; e < kNumEngineKinds; ++e) {
    tl_engine_[e] = timeline_->AddComponent(kEngineNames[e], cores);
  }
  tl_dma_ = timeline_->AddComponent("dma", cores * config.dma.engines);
  tl_hbm_ = timeline_->AddComponent("hbm", 1, config.hbm.peak_bandwidth());
  tl_shared_ = timeline_->AddComponent(
      "shared_sram", 1,
      config.shared_sram.bandwidth > 0 ? config.shared_sram.bandwidth : 1);
  // The crossbar's units are the cores' ports; a mesh's are its link
  // directions (endpoint channels are not in the timeline: see the
  // noc_max_port_utilization metric).
  tl_noc_ = timeline_->AddComponent(
      "noc", noc_ != nullptr ? static_cast<double>(noc_->topology().NumLinks()) : cores);
}

Chip::~Chip() = default;

UtilizationTimeline Chip::ClosedTimeline(Tick end) const {
  UtilizationTimeline closed = *timeline_;
  if (link_timeline_ != nullptr) {
    LinkTimeline links = *link_timeline_;
    links.AddTotalTo(closed, tl_noc_, end);
  } else {
    closed.Extend(end);
  }
  return closed;
}

uint64_t Chip::hbm_stripe_bytes() const {
  return static_cast<uint64_t>(config_.hbm.interleave_bytes) * config_.hbm.channels();
}

void Chip::RecordBusy(int component, Tick start, Tick end, double bytes) {
  timeline_->AddBusy(component, start, end, bytes);
  if (recording_ != nullptr) Record(component, -1, start, end, bytes);
}

void Chip::RecordLinkBusy(int channel, Tick start, Tick end, double bytes) {
  link_timeline_->AddBusy(channel, start, end, bytes);
  if (recording_ != nullptr) Record(-1, channel, start, end, bytes);
}

void Chip::Record(int component, int link, Tick start, Tick end, double bytes) {
  recording_->Add(component, link, (start - op_.start).ps(), (end - op_.start).ps(),
                  bytes);
  const size_t size = recording_->size_bytes();
  if (size > kMaxRecordingBytes || memo_bytes_ + size > kMemoBudgetBytes) [[unlikely]] {
    recording_ = nullptr;
    memo_.erase(digest_);
    unrecordable_.insert(digest_);
  }
}

Tick Chip::IssueTransfer(int core, const Transfer& t,
                         const std::vector<GatherSegment>& segments) {
  const Tick now = sim_.Now();
  const DmaConfig& dma = config_.dma;
  // The transforms' composed rate and setup (dma_transforms.h); MappingError
  // names a capability the engines lack. A plain copy: fraction 1, setup 0.
  const DmaCapabilityConfig transform = TransformCost(dma.capabilities, t.transforms);
  if (t.num_segments > 0 && !t.transforms.Has(v1::DMA_GATHER_SCATTER)) {
    throw MappingError("a transfer with an index list of " +
                       std::to_string(t.num_segments) +
                       " pieces must carry DMA_GATHER_SCATTER");
  }
  const double fraction = transform.throughput_fraction;
  const Tick setup = dma.setup + transform.setup;

  // The engine that can start soonest; ties go to the lowest index so runs
  // are deterministic.
  std::vector<DmaEngineState>& engines = dma_[core];
  DmaEngineState* engine = nullptr;
  Tick engine_start = Tick::Max();
  for (DmaEngineState& e : engines) {
    // A full engine waits for its earliest in-flight descriptor to finish.
    std::erase_if(e.in_flight, [now](Tick done) { return done <= now; });
    // With k descriptors beyond the limit already in flight, this one takes
    // the slot freed by the (k+1)-th earliest completion.
    Tick slot = now;
    if (int excess = static_cast<int>(e.in_flight.size()) - dma.max_outstanding;
        excess >= 0) {
      std::nth_element(e.in_flight.begin(), e.in_flight.begin() + excess,
                       e.in_flight.end());
      slot = e.in_flight[excess];
    }
    Tick start = Max(Max(slot, e.free), now) + setup;
    if (start < engine_start) {
      engine_start = start;
      engine = &e;
    }
  }
  const double bytes = static_cast<double>(t.bytes);
  Tick engine_end = engine_start + Tick::FromSeconds(bytes / (dma.bandwidth * fraction));
  engine->free = engine_end;

  // A reduce-add store reads the destination and writes the sum back. The
  // adder sits at the memory end of the DMA path, so the old value does not
  // cross the core's port, but it does leave the memory array: an HBM
  // channel or the SRAM's banks carry it. That read is real traffic (it is
  // what limits split-K reductions on hardware without in-array atomics),
  // so it is charged as memory bytes and time.
  const bool read_modify_write = t.write && t.transforms.Has(v1::DMA_REDUCE_ADD);
  const double memory_bytes = read_modify_write ? 2 * bytes : bytes;
  Tick memory_done;
  double port_bytes = bytes;
  const CacheTraffic* cached = nullptr;  // set when the transfer passed caches
  if (t.memory == MemoryKind::kHbm && caches_ != nullptr) {
    memory_done =
        ServeThroughCaches(core, engine_start, t, segments, read_modify_write, &cached);
    port_bytes = cached->port_bytes();
  } else if (t.memory == MemoryKind::kHbm) {
    memory_done = ServeHbm(t, segments, engine_start, read_modify_write);
    op_.hbm_bytes += memory_bytes;
    RecordBusy(tl_hbm_, engine_start, memory_done, memory_bytes);
  } else {
    if (config_.shared_sram.bandwidth <= 0) {
      throw MappingError("transfer targets shared SRAM but the chip has none");
    }
    Tick start = Max(engine_start, shared_sram_free_);
    shared_sram_free_ =
        start + Tick::FromSeconds(memory_bytes / config_.shared_sram.bandwidth);
    memory_done = shared_sram_free_ + config_.shared_sram.latency;
    op_.shared_sram_bytes += memory_bytes;
    RecordBusy(tl_shared_, start, shared_sram_free_, memory_bytes);
  }

  // What the kernel asks of memory beyond the core: with a core cache, only
  // what it did not serve.
  const double requested = cached != nullptr ? port_bytes : bytes;
  if (memory_cap_Bps_ > 0 && !t.extra_pass && requested > 0) {
    // The kernel issues its requests no faster than the cap: a server its
    // transfers pass in issue order, pipelined with the memory like the
    // other resources of the path. The memory itself is not held longer,
    // which is exact here because ops run one at a time.
    Tick start = Max(engine_start, memory_cap_free_);
    memory_cap_free_ = start + Tick::FromSeconds(requested / memory_cap_Bps_);
    const bool from_hbm =
        cached != nullptr ? cached->hbm_read_bytes > 0 : t.memory == MemoryKind::kHbm;
    const Tick latency = from_hbm ? config_.hbm.latency : config_.shared_sram.latency;
    memory_done = Max(memory_done, memory_cap_free_ + latency);
  }

  // The crossbar: the core's port, one FCFS server. (A mesh or torus
  // reserves routes instead and accounts them itself.)
  Tick port_start, port_done;
  if (noc_ == nullptr) {
    port_start = Max(engine_start, port_free_[core]);
    port_free_[core] =
        port_start + Tick::FromSeconds(port_bytes / config_.noc.port_bandwidth);
    port_done = port_free_[core] + config_.noc.hop_latency;
  } else if (cached == nullptr) {
    port_done = ReserveRoutes(core, t, segments, port_bytes, engine_start);
  } else {
    port_done = RouteCachedTraffic(core, t, segments, *cached, engine_start);
  }

  Tick done = Max(Max(engine_end, memory_done), port_done);
  engine->in_flight.push_back(done);

  op_.dma_busy_ps += static_cast<double>((engine_end - engine_start).ps());
  if (noc_ == nullptr) {
    op_.port_busy_ps += static_cast<double>((port_free_[core] - port_start).ps());
  }
  ++op_.descriptors;
  // The engine moves the transfer's bytes (a reduce-add's read of the old
  // values happens at the memory end); the crossbar port carries what the
  // core's cache did not serve.
  RecordBusy(tl_dma_, engine_start, engine_end, bytes);
  if (noc_ == nullptr) RecordBusy(tl_noc_, port_start, port_free_[core], port_bytes);

  // Reservation makes delivery certain at issue. It is counted delivered
  // when the op ends, provided it has landed by then (the conservation
  // tests check descriptors_completed against descriptors_issued): a
  // completion event per descriptor would be most of a prefill's events and
  // tell nothing more.
  ++totals_.descriptors_issued;
  totals_.bytes_issued += memory_bytes;
  ++landing_.descriptors;
  landing_.bytes += memory_bytes;
  landing_.last = Max(landing_.last, done);
  return done;
}

Tick Chip::ServeThroughCaches(int core, Tick start, const Transfer& t,
                              const std::vector<GatherSegment>& segments,
                              bool read_modify_write, const CacheTraffic** traffic) {
  const CacheTraffic& c = caches_->Filter(core, t, segments, read_modify_write);
  *traffic = &c;
  // Hits in the core's cache cost the DMA engine's own time only.
  Tick done = start;
  if (c.shared_bytes > 0) {
    Tick s = Max(start, shared_sram_free_);
    shared_sram_free_ =
        s + Tick::FromSeconds(c.shared_bytes / config_.shared_sram.bandwidth);
    done = Max(done, shared_sram_free_ + config_.shared_sram.latency);
    op_.shared_sram_bytes += c.shared_bytes;
    RecordBusy(tl_shared_, s, shared_sram_free_, c.shared_bytes);
  }
  for (const AccessPattern& p : c.hbm) {
    const Tick landed = hbm_->Access(start, p);
    op_.hbm_bytes += static_cast<double>(p.bytes);
    RecordBusy(tl_hbm_, start, landed, static_cast<double>(p.bytes));
    // Fills gate the transfer; writebacks drain behind it (a write buffer).
    if (!p.write) done = Max(done, landed);
  }
  return done;
}

Tick Chip::ServeHbm(const Transfer& t, const std::vector<GatherSegment>& segments,
                    Tick start, bool read_modify_write) {
  auto serve = [&](bool write) {
    auto access = [&](uint64_t address, int64_t bytes) {
      AccessPattern pattern{
          address,        bytes, t.contiguous_bytes > 0 ? t.contiguous_bytes : bytes,
          t.stride_bytes, write, t.scattered};
      return hbm_->Access(start, pattern);
    };
    if (t.num_segments == 0) return access(t.address, t.bytes);
    // Each piece of a gather is its own access: the HBM model rates its
    // locality (a page's runs) rather than that of one long stream. The
    // engine issues them back to back, so all arrive at `start` and the
    // channels serve them in order.
    Tick done = start;
    for (uint32_t i = 0; i < t.num_segments; ++i) {
      const GatherSegment& g = segments.at(t.first_segment + i);
      done = Max(done, access(g.address, g.bytes));
    }
    return done;
  };
  if (!read_modify_write) return serve(t.write);
  // The read of the old values queues ahead of the write on each channel.
  Tick read = serve(false);
  return Max(read, serve(true));
}

void Chip::Run(const OpProgram& program, InlineCallback done) {
  Run(program, memoize_ ? program.Digest(hbm_stripe_bytes()) : 0, done);
}

void Chip::Run(const OpProgram& program, uint64_t digest, InlineCallback done) {
  assert(cores_running_ == 0);
  op_ = OpStats{};
  op_.start = sim_.Now();
  done_ = done;
  memory_cap_Bps_ = program.memory_efficiency < 1.0
                        ? program.memory_efficiency * config_.hbm.peak_bandwidth()
                        : 0;
  memory_cap_free_ = op_.start;
  program_ = &program;
  in_epilogue_ = false;
  {
    std::vector<bool> active(config_.cores, false);
    for (const auto* part : {&program.cores, &program.epilogue}) {
      for (const CoreProgram& c : *part) {
        if (!c.steps.empty()) active.at(c.core) = true;
      }
    }
    op_.active_cores = static_cast<int>(std::count(active.begin(), active.end(), true));
  }
  if (op_.active_cores == 0) {
    // Nothing to run (a collective within one device): no launch either.
    op_.end = op_.start;
    sim_.Post(
        op_.end, [this] { FinishOp(); }, EventPriority::kStatistics);
    return;
  }

  if (memoize_) {
    digest_ = digest;
    if (auto it = memo_.find(digest_); it != memo_.end()) {
      const Recorded& r = it->second;
      Tick start = op_.start;
      op_ = r.stats;
      op_.start = start;
      op_.end = start + r.duration;
      op_.replayed = true;
      r.busy.ForEach([&](int component, int link, int64_t from_ps, int64_t to_ps,
                         double bytes) {
        const Tick from = start + Tick::FromPs(from_ps), to = start + Tick::FromPs(to_ps);
        if (link >= 0) {
          link_timeline_->AddBusy(link, from, to, bytes);
        } else {
          timeline_->AddBusy(component, from, to, bytes);
        }
      });
      if (noc_ != nullptr) noc_->AddBusy(r.noc_busy_ps);
      totals_.descriptors_issued += op_.descriptors;
      totals_.descriptors_completed += op_.descriptors;
      totals_.bytes_issued += op_.hbm_bytes + op_.shared_sram_bytes;
      totals_.bytes_delivered += op_.hbm_bytes + op_.shared_sram_bytes;
      ++memo_hits_;
      sim_.Post(
          op_.end, [this] { FinishOp(); }, EventPriority::kCompletion);
      return;
    }
    if (!unrecordable_.contains(digest_)) recording_ = &memo_[digest_].busy;
  }
  if (noc_ != nullptr) noc_busy_at_start_ = noc_->busy_ps();
  hbm_busy_at_start_ = hbm_->channel_busy_ps();

  // Launch overhead: the cores start once the op has been dispatched.
  cores_running_ = 1;  // held until every core has been started
  Tick launch = config_.launch_overhead;
  sim_.PostAfter(
      launch, [this, &program] { StartCores(program.cores); }, EventPriority::kIssue);
}

void Chip::StartCores(const std::vector<CoreProgram>& cores) {
  for (const CoreProgram& c : cores) {
    if (c.steps.empty()) continue;
    ++cores_running_;
    runners_[c.core]->Start(c);
  }
  CoreFinished();
}

void Chip::CoreFinished() {
  if (--cores_running_ > 0) return;
  // The barrier: the epilogue starts when the last core of the main program
  // (its last store included) has finished.
  if (!in_epilogue_) {
    in_epilogue_ = true;
    const std::vector<CoreProgram>& epilogue = program_->epilogue;
    if (std::any_of(epilogue.begin(), epilogue.end(),
                    [](const CoreProgram& c) { return !c.steps.empty(); })) {
      cores_running_ = 1;  // held until every epilogue core has been started
      StartCores(epilogue);
      return;
    }
  }
  // Stores and loads are accounted when issued; wait for the last
  // descriptor's completion event (same tick at the latest) by finishing at
  // the current time.
  op_.end = sim_.Now();
  // Every descriptor has landed by the op's end: loads before their step's
  // compute, stores before their core finished.
  if (landing_.last <= op_.end) {
    totals_.descriptors_completed += landing_.descriptors;
    totals_.bytes_delivered += landing_.bytes;
  }
  landing_ = Landing{};
  std::vector<int64_t> noc_busy;
  if (noc_ != nullptr) {
    noc_busy = noc_->busy_ps();
    int64_t busiest = 0;
    for (size_t c = 0; c < noc_busy.size(); ++c) {
      noc_busy[c] -= noc_busy_at_start_[c];
      busiest = std::max(busiest, noc_busy[c]);
    }
    op_.noc_max_channel_busy_ps = static_cast<double>(busiest);
  }
  const std::vector<int64_t>& hbm_busy = hbm_->channel_busy_ps();
  for (size_t c = 0; c < hbm_busy.size(); ++c) {
    op_.hbm_max_channel_busy_ps =
        std::max(op_.hbm_max_channel_busy_ps,
                 static_cast<double>(hbm_busy[c] - hbm_busy_at_start_[c]));
  }
  if (recording_ != nullptr) {
    Recorded& r = memo_[digest_];
    r.duration = op_.end - op_.start;
    r.stats = op_;
    r.noc_busy_ps = std::move(noc_busy);
    r.busy.Finish();
    memo_bytes_ += r.busy.size_bytes();
    recording_ = nullptr;
  }
  sim_.Post(
      op_.end, [this] { FinishOp(); }, EventPriority::kStatistics);
}

void Chip::FinishOp() {
  InlineCallback done = done_;
  done_ = InlineCallback();
  done();
}

}  // namespace dsasim::arch
