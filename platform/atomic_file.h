#pragma once
// Write-then-rename: a report file either appears complete under its final
// name or not at all. The content is written to a unique temporary file in
// the same directory (so the rename stays on one file system), flushed, and
// renamed over the destination; any failure removes the temporary file.
// A destination that is a device or a pipe (/dev/null, a FIFO) is written in
// place instead: renaming over it would replace the device with a file.

#include <fstream>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace heapsim {

class AtomicFile {
public:
    /// Creates the temporary file beside `path`. Check error() before writing.
    explicit AtomicFile(std::string path);
    /// Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Why the file could not be created or committed ("" when all is well).
    const std::string& error() const { return error_; }
    std::ostream& stream() { return out_; }

    /// Flushes, closes and renames the temporary file to the final path.
    /// Returns false (and sets error()) on failure, leaving nothing behind.
    bool commit();

private:
    void discard();

    std::string path_;
    std::string temp_path_;
    std::ofstream out_;
    std::string error_;
    bool committed_ = false;
    bool direct_ = false;  // a device or pipe, written in place
};

/// Writes what `write` produces to `path` atomically. Returns an error message
/// ("cannot write 'out.json': No such file or directory") or nullopt.
std::optional<std::string> write_file_atomically(const std::string& path,
                                                 const std::function<void(std::ostream&)>& write);

}  // namespace heapsim
