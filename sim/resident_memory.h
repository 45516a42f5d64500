// File: sim/resident_memory.h
//
// The process's resident memory now, for the simulator's memory limit.
//
// Example:
//   if (ResidentBytes() > limit) throw LimitError(...);
//
// Linux reads /proc/self/statm (one small read, a few microseconds); it
// returns 0 where that file is missing, which turns the limit off.
#pragma once

namespace dsasim {

double ResidentBytes();

}  // namespace dsasim
