#include "arch_models/system/collective_timing.h"

#include <algorithm>

namespace dsasim::arch {
namespace {

ScheduleTiming Initial(const TimingRequest& q) {
  ScheduleTiming t;
  t.ranks.resize(q.chips.size());
  for (size_t r = 0; r < q.chips.size(); ++r) {
    t.ranks[r].start = Tick::Max();
    t.ranks[r].end = q.ready[r];
  }
  return t;
}

void RunSwitchReduce(LinkNetwork& net, const TimingRequest& q, ScheduleTiming& t) {
  const Topology& topo = net.topology();
  const double payload = q.schedule.switch_reduce_bytes / q.protocol.efficiency;
  LinkNetwork::Flow merged{Tick(), Tick()};
  for (size_t r = 0; r < q.chips.size(); ++r) {
    const int up = topo.UpLink(q.chips[r]);
    const Tick leave = q.ready[r] + q.protocol.step_latency;
    t.ranks[r].start = Max(leave, net.LinkFree(up));
    t.ranks[r].link_bytes += payload / topo.link(up).params.payload_efficiency;
    const LinkNetwork::Flow in = net.ReserveLink(up, payload, {leave, leave});
    merged = {Max(merged.head, in.head), Max(merged.tail, in.tail)};
  }
  for (size_t r = 0; r < q.chips.size(); ++r) {
    const LinkNetwork::Flow out =
        net.ReserveLink(topo.DownLink(q.chips[r]), payload, merged);
    t.ranks[r].end = Max(t.ranks[r].end, out.tail);
  }
}

}  // namespace

ScheduleTiming RunSchedule(LinkNetwork& net, std::vector<Tick>& core_free,
                           const TimingRequest& q) {
  ScheduleTiming t = Initial(q);
  if (q.schedule.switch_reduce_bytes > 0) {
    RunSwitchReduce(net, q, t);
  }
  const auto& transfers = q.schedule.transfers;
  std::vector<Tick> done(transfers.size());
  for (size_t i = 0; i < transfers.size(); ++i) {
    const ScheduledTransfer& x = transfers[i];
    // A send waits for its receiver to have joined the collective: the
    // receiver's buffer is posted when its kernel starts (NCCL's protocols
    // credit the sender only then), so an early rank cannot deliver into a
    // late one.
    Tick leave = Max(q.ready[x.src], q.ready[x.dst]);
    for (int a : x.after) leave = Max(leave, done[a]);
    leave += q.protocol.step_latency;
    const int src = q.chips[x.src], dst = q.chips[x.dst];
    const double payload = x.bytes / q.protocol.efficiency;
    const Tick landed = net.Reserve(src, dst, payload, leave);
    RankTiming& from = t.ranks[x.src];
    from.start = std::min(from.start, net.last_start());
    const auto& route = net.topology().Route(src, dst);
    if (!route.empty()) {
      from.link_bytes +=
          payload / net.topology().link(route[0]).params.payload_efficiency;
    }
    from.end = Max(from.end, landed);
    done[i] = landed;
    if (x.reduce && q.reduce_on_cores) {
      const Tick reduce = Tick::FromSeconds(x.bytes / q.reduce_bytes_per_s->at(dst));
      // The receiver's cores reduce only once it has joined: before, they
      // run its previous kernel.
      const Tick begin = Max(Max(landed, core_free[dst]), q.ready[x.dst]);
      done[i] = begin + reduce;
      core_free[dst] = done[i];
      t.ranks[x.dst].core_busy += reduce;
    }
    t.ranks[x.dst].end = Max(t.ranks[x.dst].end, done[i]);
  }
  for (size_t r = 0; r < t.ranks.size(); ++r) {
    if (t.ranks[r].start == Tick::Max()) t.ranks[r].start = q.ready[r];
  }
  return t;
}

Tick PredictSchedule(const Topology& topo, const Schedule& s,
                     const std::vector<int>& chips, const ProtocolParams& p) {
  std::vector<double> load(topo.num_links(), 0);
  auto message = [&](const std::vector<int>& route, double bytes) {
    Tick cost = p.step_latency;
    for (int l : route) {
      const LinkParams& lp = topo.link(l).params;
      cost += lp.latency + lp.message_overhead;
      load[l] += bytes / p.efficiency / lp.payload_efficiency;
    }
    return cost;
  };
  Tick chain;
  if (s.switch_reduce_bytes > 0) {
    for (int chip : chips) {
      const std::vector<int> path{topo.UpLink(chip), topo.DownLink(chip)};
      chain = Max(chain, message(path, s.switch_reduce_bytes));
    }
  }
  std::vector<Tick> finish(s.transfers.size());
  for (size_t i = 0; i < s.transfers.size(); ++i) {
    const ScheduledTransfer& x = s.transfers[i];
    Tick before;
    for (int a : x.after) before = Max(before, finish[a]);
    finish[i] = before + message(topo.Route(chips[x.src], chips[x.dst]), x.bytes);
    chain = Max(chain, finish[i]);
  }
  Tick busiest;
  for (int l = 0; l < topo.num_links(); ++l) {
    busiest = Max(busiest, Tick::FromSeconds(load[l] / topo.link(l).params.bandwidth));
  }
  return chain + busiest;
}

int ChooseProtocol(const Topology& topo, const Schedule& s,
                   const std::vector<int>& chips) {
  const auto& protocols = topo.config().protocols;
  int best = 0;
  Tick best_time = Tick::Max();
  for (size_t i = 0; i < protocols.size(); ++i) {
    const Tick t = PredictSchedule(topo, s, chips, protocols[i]);
    if (t < best_time) {
      best_time = t;
      best = static_cast<int>(i);
    }
  }
  return best;
}

}  // namespace dsasim::arch
