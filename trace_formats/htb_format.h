#pragma once
// The binary trace form (*.htb), version 1: the same events as the text
// form, encoded so that reading one costs a few nanoseconds.
//
//   file    = header block* end-block
//   header  = magic "\x89HTB\r\n\x1a\n" (8 bytes), version u16 LE, reserved u16 LE (0)
//   block   = kind u8 | payload length u32 LE | events u32 LE | crc32 u32 LE | payload
//             crc32 (zlib) covers the first 9 header bytes, then the payload, so
//             a damaged length or count is caught like damaged payload bytes.
//             kind 1 = events; kind 2 = end: payload = varint total event
//             count, the last block of every complete file (so truncation at
//             a block boundary is detected too).
//   payload = record*; a block ends after a whole record.
//   record  = op u8 [varint time delta if op & kOpTimed] operands...
//     op & 0x0F = EventKind (0..14) or kOpControl (15); op & 0xE0 = small
//     per-kind fields (below). Control records are string definitions
//     (varint length, bytes) and dictionary resets.
//
// Strings (ids, names, keys, types, sites, labels) are never repeated:
// a definition record gives the next dictionary index to a string, and
// events name strings by index, written as the distance back from the most
// recent definition (new ids, referenced at once, cost one byte). The
// reader interns a string once, when it is defined, and maps indices
// straight to symbols. The writer resets the dictionary every
// kDictionaryLimit strings, so neither side's dictionary grows with the trace.
//
// Numbers are unsigned LEB128 varints of at most 10 bytes; timestamps are
// deltas from the previous event's time (omitted when it is unchanged).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "events/event.h"

namespace heapsim::htb {

inline constexpr std::string_view kMagic{"\x89HTB\r\n\x1a\n", 8};
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 12;       // magic, version, reserved
inline constexpr std::size_t kBlockHeaderSize = 13;  // kind, length, events, crc32

enum class BlockKind : std::uint8_t { Events = 1, End = 2 };

/// The writer closes a block once its payload reaches this size.
inline constexpr std::size_t kTargetBlock = 64 * 1024;
/// The largest payload a reader accepts: bounds its buffer (one alloc with
/// the longest text line's worth of references fits easily).
inline constexpr std::size_t kMaxBlock = 16 * 1024 * 1024;

/// Strings the writer defines before it resets the dictionary.
inline constexpr std::uint32_t kDictionaryLimit = 1u << 20;
/// Strings a reader holds at most between resets (a writer may exceed its
/// limit within one event, never this).
inline constexpr std::uint32_t kMaxDictionary = 1u << 22;
/// Longest string (the longest label).
inline constexpr std::size_t kMaxString = 1024;

// Record opcodes.
inline constexpr std::uint8_t kKindMask = 0x0F;
inline constexpr std::uint8_t kOpTimed = 0x10;    // a time delta follows the opcode
inline constexpr std::uint8_t kOpControl = 0x0F;  // kind bits of a control record
inline constexpr std::uint8_t kOpDefine = 0x0F;   // string definition: length, bytes
inline constexpr std::uint8_t kOpReset = 0x2F;    // dictionary reset: forget every string
inline constexpr int kFieldShift = 5;             // op >> 5: the per-kind field bits

// Per-kind field bits (op >> kFieldShift):
//   alloc:     1 = has size, 2 = has site, 4 = has refs (count, then indices)
//   weakref:   1 = has callback label
//   collect:   generation (0..2)
//   gc:        GcAction
//   threshold: value count (1..3)
//   expect:    ExpectKind
//   gc field 7 (kGcExtended): the actions after counts, then a varint:
//              0 longlived (then its two values), 1 finalizer / 2 callback
//              (collection hooks; then the id and the name)
inline constexpr std::uint8_t kAllocSize = 1, kAllocSite = 2, kAllocRefs = 4;
inline constexpr std::uint8_t kGcExtended = 7;
// The field bits hold 0..7 and GcAction outgrew them: every action from
// LongLived on shares kGcExtended and is told apart by the varint after it.
inline constexpr std::uint64_t kExtendedGcActions = 3;
inline bool is_extended_gc_action(GcAction a) { return a >= GcAction::LongLived; }
inline std::uint64_t extended_gc_action_index(GcAction a) {
    return static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(GcAction::LongLived);
}
inline GcAction extended_gc_action(int which) {
    return static_cast<GcAction>(static_cast<int>(GcAction::LongLived) + which);
}
inline constexpr std::uint8_t kWeakrefLabel = 1;

// The flags byte after a type's name.
inline constexpr std::uint8_t kTypeGc = 1, kTypeWeakrefable = 2, kTypeFinalizer = 4,
                              kTypeLegacyFinalizer = 8, kTypeInstance = 16, kTypeSize = 32,
                              kTypeSlots = 64;

}  // namespace heapsim::htb
