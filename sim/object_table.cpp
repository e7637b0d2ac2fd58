#include "sim/object_table.h"

#include <stdexcept>

namespace heapsim {

ObjectTable::ObjectTable() {
    objects_.grow_to(kListCount);
    for (Handle h = 0; h < kListCount; ++h) {
        objects_[h].prev = objects_[h].next = h;
        objects_[h].list = static_cast<std::uint8_t>(h);
    }
}

Handle ObjectTable::create_at_end() {
    if (objects_.size() >= kNoHandle - 1) throw std::length_error("object table exhausted");
    objects_.push_back(Object{});
    return static_cast<Handle>(objects_.size() - 1);
}

void ObjectTable::destroy(Handle h) {
    objects_[h].flags = 0;
    objects_[h].next = free_;
    free_ = h;
}

void ObjectTable::append(ListId list, Handle h) {
    Object& o = objects_[h];
    Object& head = objects_[list];
    const Handle last = head.prev;
    o.prev = last;
    o.next = list;
    objects_[last].next = h;
    head.prev = h;
    o.list = list;
    ++sizes_[list];
}

void ObjectTable::unlink(Handle h) {
    Object& o = objects_[h];
    if (o.list == kUntracked) return;
    objects_[o.prev].next = o.next;
    objects_[o.next].prev = o.prev;
    --sizes_[o.list];
    o.list = kUntracked;
    o.prev = o.next = kNoHandle;
}

void ObjectTable::merge(ListId from, ListId to) {
    if (empty(from)) return;
    // Objects carry the id of their list; relabel the spliced ones.
    for (Handle h = objects_[from].next; h != from; h = objects_[h].next) objects_[h].list = to;
    Object& f = objects_[from];
    Object& t = objects_[to];
    const Handle first = f.next, last = f.prev, tail = t.prev;
    objects_[tail].next = first;
    objects_[first].prev = tail;
    objects_[last].next = to;
    t.prev = last;
    f.next = f.prev = from;
    sizes_[to] += sizes_[from];
    sizes_[from] = 0;
}

}  // namespace heapsim
