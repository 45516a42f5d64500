// File: arch_models/chip/chip_routes.cc
//
// The chip's mesh/torus side (chip.h): how a transfer's bytes cross the
// network between a core and the memory ports. A transfer is split over
// the ports exactly as the HBM address interleave spreads it over the
// channels (a gather by its pieces' own addresses), and each share reserves
// its XY route on the MeshNoc; with caches, only what crossed the core's
// port is routed, each direction on its own links.
#include <algorithm>

#include "arch_models/chip/chip.h"

namespace dsasim::arch {

Tick Chip::RouteCachedTraffic(int core, const Transfer& t,
                              const std::vector<GatherSegment>& segments,
                              const CacheTraffic& c, Tick start) {
  // What the shared cache served comes from its slices, the rest from the
  // memory ports (the hop from a slice to HBM is not routed: it is the
  // cache's own path); each direction on its own links.
  const double from_sram =
      c.shared_bytes > 0 ? std::min(1.0, c.shared_hit_bytes / c.shared_bytes) : 0.0;
  Tick landed = start;
  for (bool out : {false, true}) {
    const double bytes = out ? c.port_out_bytes : c.port_in_bytes;
    if (!(bytes > 0)) continue;
    Transfer leg = t;
    leg.write = out;
    if (from_sram < 1.0) {
      landed =
          Max(landed, ReserveRoutes(core, leg, segments, bytes * (1 - from_sram), start));
    }
    if (from_sram > 0) {
      leg.memory = MemoryKind::kSharedSram;
      landed = Max(landed, ReserveRoutes(core, leg, segments, bytes * from_sram, start));
    }
  }
  return landed;
}

Tick Chip::ReserveRoutes(int core, const Transfer& t,
                         const std::vector<GatherSegment>& segments, double bytes,
                         Tick start) {
  const bool hbm = t.memory == MemoryKind::kHbm;
  const int ports = static_cast<int>(hbm ? config_.noc.memory_routers.size()
                                         : config_.noc.shared_sram_routers.size());
  // Endpoint of port 0 (see MeshOf).
  const int first_port =
      config_.cores + (hbm ? 0 : static_cast<int>(config_.noc.memory_routers.size()));
  if (hbm) {
    share_bytes_.assign(ports, 0.0);
    // With caches only the misses cross the network, spread as the whole
    // transfer is (`bytes` of t.bytes).
    const double crossing = t.bytes > 0 ? bytes / static_cast<double>(t.bytes) : 0;
    // A gather's pieces lie where their own addresses put them.
    auto add_piece = [&](uint64_t address, int64_t piece_bytes) {
      AccessPattern pattern{address, piece_bytes,
                            t.contiguous_bytes > 0 ? t.contiguous_bytes : piece_bytes,
                            t.stride_bytes, t.write};
      const std::vector<int64_t> per_channel = hbm_layout_->BytesPerChannel(pattern);
      for (size_t c = 0; c < per_channel.size(); ++c) {
        share_bytes_[port_of_channel_[c]] +=
            crossing * static_cast<double>(per_channel[c]);
      }
    };
    if (t.num_segments == 0) {
      add_piece(t.address, t.bytes);
    } else {
      for (uint32_t i = 0; i < t.num_segments; ++i) {
        const GatherSegment& g = segments.at(t.first_segment + i);
        add_piece(g.address, g.bytes);
      }
    }
  } else {
    // The shared SRAM's slices are not address-mapped in this model (its
    // timing ignores addresses, and so does the op digest): an even split.
    share_bytes_.assign(ports, bytes / ports);
  }
  const Tick memory_latency = hbm ? config_.hbm.latency : config_.shared_sram.latency;
  Tick landed = start;
  for (int p = 0; p < ports; ++p) {
    if (!(share_bytes_[p] > 0)) continue;
    const int port = first_port + p;
    Tick share_landed;
    if (t.write) {
      share_landed = noc_->Transfer(core, port, share_bytes_[p], start);
    } else {
      const Tick first_data = start + noc_->PathLatency(core, port) + memory_latency;
      share_landed = noc_->Transfer(port, core, share_bytes_[p], first_data);
    }
    landed = Max(landed, share_landed);
    const std::vector<MeshNoc::Reservation>& route = noc_->last_reservations();
    for (const MeshNoc::Reservation& r : route) {
      if (noc_->IsLink(r.channel))
        RecordLinkBusy(r.channel, r.start, r.end, share_bytes_[p]);
    }
    // The core's own channel, as the crossbar port: injection for a write,
    // ejection for a read.
    const MeshNoc::Reservation& own = t.write ? route.front() : route.back();
    op_.port_busy_ps += static_cast<double>((own.end - own.start).ps());
  }
  return landed;
}

}  // namespace dsasim::arch
