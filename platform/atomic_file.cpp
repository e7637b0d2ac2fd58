#include "platform/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

namespace heapsim {

namespace {

std::string cannot_write(const std::string& path, int err) {
    return "cannot write '" + path + "': " + std::strerror(err);
}

/// The permissions a plain `open(path, O_CREAT, 0666)` would give: mkstemp
/// creates 0600, which would surprise someone sharing a report.
mode_t default_file_mode() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    // A device or pipe (/dev/null, /dev/stdout, a FIFO) cannot be replaced by
    // a rename, and must not be: it is written in place.
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        direct_ = true;
        out_.open(path_, std::ios::binary);
        if (!out_) error_ = cannot_write(path_, errno);
        return;
    }
    const std::filesystem::path target(path_);
    std::filesystem::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    // Built by appending: GCC 12 warns (-Wrestrict, a false positive) on "." + name + "...".
    std::string name = ".";
    name.append(target.filename().string()).append(".tmp-XXXXXX");
    const std::string templ = (dir / name).string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    const int fd = ::mkstemp(buf.data());
    if (fd < 0) {
        // Name the call that failed: the destination itself may well exist
        // (-o /proc/version), it is its directory that takes no new file.
        error_ = "cannot write '" + path_ + "': cannot create a file in '" + dir.string() +
                 "': " + std::strerror(errno);
        return;
    }
    temp_path_.assign(buf.data());
    ::fchmod(fd, default_file_mode());
    ::close(fd);
    out_.open(temp_path_, std::ios::binary | std::ios::trunc);
    if (!out_) {
        error_ = cannot_write(path_, errno);
        discard();
    }
}

AtomicFile::~AtomicFile() {
    if (!committed_) discard();
}

void AtomicFile::discard() {
    if (out_.is_open()) out_.close();
    if (!temp_path_.empty()) {
        std::remove(temp_path_.c_str());
        temp_path_.clear();
    }
}

bool AtomicFile::commit() {
    if (!error_.empty()) return false;
    out_.flush();
    const bool written = static_cast<bool>(out_);
    const int write_errno = errno;
    out_.close();
    if (!written || out_.fail()) {
        error_ = cannot_write(path_, written ? errno : write_errno);
        discard();
        return false;
    }
    if (direct_) {
        committed_ = true;
        return true;
    }
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
        error_ = cannot_write(path_, errno);
        discard();
        return false;
    }
    temp_path_.clear();
    committed_ = true;
    return true;
}

std::optional<std::string> write_file_atomically(const std::string& path,
                                                 const std::function<void(std::ostream&)>& write) {
    AtomicFile file(path);
    if (!file.error().empty()) return file.error();
    write(file.stream());
    if (!file.commit()) return file.error();
    return std::nullopt;
}

}  // namespace heapsim
