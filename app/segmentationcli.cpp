// SPDX-License-Identifier: GPL-3.0-or-later
#include "segmentationcli.h"

#include "analysis/sampledetail.h"
#include "commandline.h"
#include "plots/confusionplot.h"
#include "plots/segmentationmapplot.h"
#include "progressprinter.h"
#include "report/confusioncsv.h"
#include "sessionfactory.h"

#include <QFile>

namespace shapescope::cli {

namespace {

Expected<ConfusionMatrix> confusionOf(const QCommandLineParser& parser, const QString& file,
                                      const AnalysisResult& result)
{
    const Expected<int> pair = segmentationPair(result, parser.value(QStringLiteral("pair")));
    if (!pair)
        return pair.failure();
    Expected<std::unique_ptr<Session>> session = createSession(parser);
    if (!session)
        return session.failure();
    const PairResult& p = result.pairs[size_t(*pair)];
    Expected<ConfusionMatrix> matrix = (*session)->confusion(
        ConfusionRequest{file, result.spec, p.input, p.target, p.layout}, terminalProgress());
    clearTerminalProgress();
    return matrix;
}

Expected<std::vector<qint64>> sliceIndex(const QCommandLineParser& parser)
{
    std::vector<qint64> index;
    if (!parser.isSet(QStringLiteral("slice")))
        return index;
    for (const QString& part : parser.value(QStringLiteral("slice")).split(QLatin1Char(','))) {
        bool ok = false;
        const qint64 value = part.trimmed().toLongLong(&ok);
        if (!ok || value < 0)
            return Error{QStringLiteral("--slice: \"%1\" is not a list of indices")
                             .arg(parser.value(QStringLiteral("slice")))};
        index.push_back(value);
    }
    return index;
}

Expected<SampleDetail> detailOf(const QCommandLineParser& parser, const QString& file,
                                const AnalysisResult& result)
{
    const Expected<int> pair = segmentationPair(result, parser.value(QStringLiteral("pair")));
    if (!pair)
        return pair.failure();
    bool ok = false;
    const qint64 sample = parser.value(QStringLiteral("sample")).toLongLong(&ok);
    if (!ok || sample < 0)
        return Error{QStringLiteral("--sample: \"%1\" is not a sample index")
                         .arg(parser.value(QStringLiteral("sample")))};
    const Expected<std::vector<qint64>> index = sliceIndex(parser);
    if (!index)
        return index.failure();
    Expected<std::unique_ptr<Session>> created = createSession(parser);
    if (!created)
        return created.failure();
    Session& session = **created;
    const SlabReader read = [&session, &file](const QString& tensor, const Slab& slab,
                                              DType* type) -> Expected<std::vector<double>> {
        Expected<SliceResult> slice = session.readSlice(SliceRequest{file, tensor, slab});
        if (!slice)
            return slice.failure();
        if (type)
            *type = slice->sourceType;
        return std::move(slice->values);
    };
    Expected<SampleDetail> detail = readSampleDetail(result, *pair, {sample, *index}, read);
    if (detail && detail->mapShape.size() != 2)
        return Error{QStringLiteral("%1: the pair's samples are not images (a map needs two "
                                    "spatial axes)")
                         .arg(file)};
    return detail;
}

} // namespace

int writeConfusion(const QCommandLineParser& parser, const QString& file,
                   const AnalysisResult& result)
{
    const Expected<ConfusionMatrix> matrix = confusionOf(parser, file, result);
    if (!matrix)
        return fail(matrix.error());
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty() || output == QLatin1String("-")) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly))
            return fail(QStringLiteral("cannot write to standard output"));
        out.write(confusionCsv(*matrix));
    } else if (Status s = saveConfusionCsv(*matrix, output, file); !s) {
        return fail(s.error());
    }
    return result.hasErrors() ? ExitDiagnosedErrors : ExitOk;
}

bool isSegmentationKind(const QString& kind)
{
    return kind == QLatin1String("confusion") ||
           (mapLayerFromName(kind) && kind != mapLayerName(MapLayer::Input));
}

int plotSegmentation(const QCommandLineParser& parser, const QString& file,
                     const AnalysisResult& result, const QString& kind,
                     const PlotExportOptions& options)
{
    const QString output = parser.value(QStringLiteral("output"));
    if (kind == QLatin1String("confusion")) {
        const Expected<ConfusionMatrix> matrix = confusionOf(parser, file, result);
        if (!matrix)
            return fail(matrix.error());
        ConfusionPlot plot;
        plot.setMatrix(std::make_shared<const ConfusionMatrix>(*matrix));
        plot.resize(options.width, options.height);
        if (Status s = exportPlot(plot.customPlot(), output, options, file); !s)
            return fail(s.error());
        return ExitOk;
    }
    const Expected<SampleDetail> detail = detailOf(parser, file, result);
    if (!detail)
        return fail(detail.error());
    SegmentationMapPlot plot;
    plot.setLayer(*mapLayerFromName(kind));
    plot.resize(options.width, options.height);
    plot.setDetail(std::make_shared<const SampleDetail>(*detail));
    plot.resetView();
    if (Status s = exportPlot(plot.customPlot(), output, options, file); !s)
        return fail(s.error());
    return ExitOk;
}

} // namespace shapescope::cli
