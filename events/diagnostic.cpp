#include "events/diagnostic.h"

namespace heapsim {

const char* error_kind_name(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Syntax: return "syntax";
        case ErrorKind::UnknownEvent: return "unknown-event";
        case ErrorKind::BadToken: return "bad-token";
        case ErrorKind::BadNumber: return "bad-number";
        case ErrorKind::Timestamp: return "timestamp";
        case ErrorKind::Header: return "header";
        case ErrorKind::UnknownType: return "unknown-type";
        case ErrorKind::TypeRedeclared: return "type-redeclared";
        case ErrorKind::UnknownId: return "unknown-id";
        case ErrorKind::LiveId: return "live-id";
        case ErrorKind::UnboundName: return "unbound-name";
        case ErrorKind::NotContainer: return "not-container";
        case ErrorKind::NotWeakrefable: return "not-weakrefable";
        case ErrorKind::DuplicateWeakref: return "duplicate-weakref";
        case ErrorKind::SlotsExhausted: return "slots-exhausted";
        case ErrorKind::NoSuchRef: return "no-such-ref";
        case ErrorKind::NotTemporary: return "not-temporary";
        case ErrorKind::InvalidGeneration: return "invalid-generation";
        case ErrorKind::Truncated:
            return "truncated";
        case ErrorKind::Io: return "io";
        case ErrorKind::Limit: return "limit";
        case ErrorKind::Internal:
            return "internal";
    }
    return "?";
}

std::string display_path(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string format_diagnostic(const std::string& path, std::uint64_t line, const std::string& message) {
    std::string out = display_path(path);
    if (line != 0) out += ':' + std::to_string(line);
    return out + ": " + message;
}

}  // namespace heapsim
