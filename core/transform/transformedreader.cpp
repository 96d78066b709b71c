// SPDX-License-Identifier: GPL-3.0-or-later
#include "transformedreader.h"

namespace shapescope {

TransformedReader::TransformedReader(DumpReader& inner)
    : DumpReader(inner.filePath()), m_inner(inner), m_views(inner.tensors().size())
{
    m_tensors = inner.tensors();
    m_groups = inner.groups();
    m_notes = inner.notes();
    m_skipped = inner.skipped();
}

Expected<std::unique_ptr<TransformedReader>>
TransformedReader::create(DumpReader& inner, const QStringList& statements)
{
    std::unique_ptr<TransformedReader> reader(new TransformedReader(inner));
    for (const QString& text : statements) {
        const Expected<TransformStatement> statement = parseTransform(text);
        if (!statement)
            return statement.failure();
        bool matched = false;
        for (size_t i = 0; i < reader->m_tensors.size(); ++i) {
            TensorInfo& tensor = reader->m_tensors[i];
            // A name applies to that tensor of every step, as the fix would in the loop.
            if (tensor.name != statement->tensor && !samePath(tensor.path, statement->tensor))
                continue;
            matched = true;
            std::optional<TensorView>& view = reader->m_views[i];
            if (!view)
                view.emplace(inner.tensors()[i]);
            if (Status s = statement->applyTo(*view); !s)
                return Error{QStringLiteral("%1: %2").arg(tensor.path, s.error())};
            tensor.shape = view->shape();
            tensor.dtype = view->dtype();
            tensor.chunkShape.clear();
            tensor.storage += QStringLiteral("; viewed as ") + statement->expression();
        }
        if (!matched)
            return Error{QStringLiteral("\"%1\": %2 has no tensor named %3")
                             .arg(text, inner.filePath(), statement->tensor)};
        reader->m_applied << QStringLiteral("%1 = %2").arg(statement->tensor,
                                                           statement->expression());
    }
    return reader;
}

Status TransformedReader::doReadSlab(int index, const Slab& slab, DType as, void* out)
{
    const std::optional<TensorView>& view = m_views[size_t(index)];
    if (!view)
        return m_inner.readSlab(index, slab, as, out);
    return view->read(slab, as, out, [&](const Slab& source, DType type, void* into) {
        return m_inner.readSlab(index, source, type, into);
    });
}

qint64 TransformedReader::rawDataOffset(int index, DType as, QString& file)
{
    if (m_views[size_t(index)])
        return -1;
    return m_inner.rawDataOffset(index, as, file);
}

} // namespace shapescope
