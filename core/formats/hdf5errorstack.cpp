// SPDX-License-Identifier: GPL-3.0-or-later
#include "hdf5errorstack.h"

#include <QStringList>
#include <hdf5.h>
#include <vector>

namespace shapescope {

namespace {

// Hostile files can produce long stacks and descriptions; these keep messages readable.
constexpr int maxEntries = 12;
constexpr int maxEntryLength = 300;

struct StackEntry
{
    QString description;
    hid_t minor = H5I_INVALID_HID;
};

herr_t collectEntry(unsigned, const H5E_error2_t* error, void* data)
{
    // No exception may unwind through libhdf5's C frames.
    try {
        auto* entries = static_cast<std::vector<StackEntry>*>(data);
        if (entries->size() >= maxEntries)
            return 1;
        entries->push_back({QString::fromUtf8(error->desc ? error->desc : ""), error->min_num});
        return 0;
    } catch (...) {
        return -1;
    }
}

QString tidy(QString text)
{
    text = text.simplified();
    if (text.size() > maxEntryLength)
        text = text.left(maxEntryLength) + QChar(0x2026);
    return text;
}

} // namespace

void Hdf5ErrorStack::silenceThisThread()
{
    thread_local bool silenced = false;
    if (!silenced) {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        silenced = true;
    }
}

QString Hdf5ErrorStack::take()
{
    std::vector<StackEntry> entries;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collectEntry, &entries);
    // H5Eget_msg is an ordinary API call that starts by clearing the stack, so descriptions
    // are resolved only after the walk.
    QStringList parts;
    for (const StackEntry& entry : entries) {
        QString text = entry.description;
        if (text.isEmpty() && entry.minor >= 0) {
            char message[256] = {};
            if (H5Eget_msg(entry.minor, nullptr, message, sizeof message) > 0)
                text = QString::fromUtf8(message);
        }
        text = tidy(text);
        if (!text.isEmpty() && !parts.contains(text))
            parts << text;
    }
    H5Eclear2(H5E_DEFAULT);
    return parts.join(QStringLiteral("; "));
}

Error hdf5Error(const QString& context)
{
    const QString stack = Hdf5ErrorStack::take();
    return Error{QStringLiteral("%1 failed: %2")
                     .arg(context, stack.isEmpty() ? QStringLiteral("unknown HDF5 error") : stack)};
}

} // namespace shapescope
