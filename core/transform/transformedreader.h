// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "formats/dumpreader.h"
#include "transformexpr.h"

#include <QStringList>
#include <optional>

namespace shapescope {

// A dump with fixes applied to the analysis, never to the file: the tensors the statements name
// are replaced by views of themselves (TensorView), every other tensor reads as before, mapped
// rows included. The inner reader must outlive this one.
class TransformedReader final : public DumpReader
{
public:
    // Fails when a statement does not parse, names no tensor of the dump, or cannot apply to one
    // (the message quotes the statement and the tensor's path).
    static Expected<std::unique_ptr<TransformedReader>> create(DumpReader& inner,
                                                               const QStringList& statements);

    DumpFormat format() const override { return m_inner.format(); }
    // The statements as PyTorch code ("logits = logits.permute(0, 2, 1)"), in order.
    const QStringList& applied() const { return m_applied; }
    std::optional<QStringList> stringAttribute(const QString& objectPath,
                                               const QString& name) override
    {
        return m_inner.stringAttribute(objectPath, name);
    }

protected:
    Status doReadSlab(int index, const Slab& slab, DType as, void* out) override;
    qint64 rawDataOffset(int index, DType as, QString& file) override;

private:
    explicit TransformedReader(DumpReader& inner);

    DumpReader& m_inner;
    std::vector<std::optional<TensorView>> m_views; // per tensor; empty when untouched
    QStringList m_applied;
};

} // namespace shapescope
