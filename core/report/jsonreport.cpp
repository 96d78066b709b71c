// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonreport.h"

#include "analysis/axisnames.h"
#include "analysis/transformedanalysis.h"
#include "common/atomicwrite.h"
#include "flowreport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace shapescope {

namespace {

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonValue text(const QString& value)
{
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

QJsonArray shapeArray(const Shape& shape)
{
    QJsonArray array;
    for (qint64 extent : shape)
        array.append(extent);
    return array;
}

QJsonObject tensorToJson(const TensorInfo& tensor)
{
    QJsonObject object{
        {QStringLiteral("path"), tensor.path},
        {QStringLiteral("name"), tensor.name},
        {QStringLiteral("group"), tensor.group},
        {QStringLiteral("shape"), shapeArray(tensor.shape)},
        {QStringLiteral("dtype"), tensor.typeText()},
        {QStringLiteral("storage"), tensor.storage},
        {QStringLiteral("stored_bytes"), tensor.storedBytes},
        {QStringLiteral("readable"), tensor.readable()},
    };
    if (!tensor.readable())
        object.insert(QStringLiteral("reason"), tensor.unreadableReason);
    if (!tensor.attributes.empty()) {
        QJsonObject attributes;
        for (const Attribute& attribute : tensor.attributes)
            attributes.insert(attribute.name, attribute.value);
        object.insert(QStringLiteral("attributes"), attributes);
    }
    return object;
}

QJsonObject specToJson(const LossSpec& spec)
{
    auto doubles = [](const std::vector<double>& values) -> QJsonValue {
        if (values.empty())
            return QJsonValue(QJsonValue::Null);
        QJsonArray array;
        for (double v : values)
            array.append(v);
        return array;
    };
    return QJsonObject{
        {QStringLiteral("kind"), lossKindName(spec.kind)},
        {QStringLiteral("ignore_index"), spec.ignoreIndex},
        {QStringLiteral("label_smoothing"), spec.labelSmoothing},
        {QStringLiteral("weight"),
         spec.weightTensor.isEmpty() ? doubles(spec.weight) : QJsonValue(spec.weightTensor)},
        {QStringLiteral("pos_weight"), doubles(spec.posWeight)},
        {QStringLiteral("class_dim"),
         spec.classDim ? QJsonValue(*spec.classDim) : QJsonValue(QJsonValue::Null)},
    };
}

// The class's name, or null.
QJsonValue nameJson(const QStringList& names, qint64 index)
{
    return index >= 0 && index < names.size() && !names[index].isEmpty()
               ? QJsonValue(names[index])
               : QJsonValue(QJsonValue::Null);
}

QJsonObject summaryToJson(const LossSummary& summary, const QStringList& names)
{
    QJsonArray counts;
    for (qint64 count : summary.histogram.counts)
        counts.append(count);
    QJsonArray perClass;
    for (const ClassStatistic& c : summary.perClass) {
        perClass.append(QJsonObject{{QStringLiteral("class"), c.classIndex},
                                    {QStringLiteral("name"), nameJson(names, c.classIndex)},
                                    {QStringLiteral("count"), c.count},
                                    {QStringLiteral("mean_loss"), number(c.meanLoss)}});
    }
    QJsonArray highest;
    for (const RankedSample& s : summary.highestLoss) {
        highest.append(
            QJsonObject{{QStringLiteral("sample"), s.sample},
                        {QStringLiteral("target"),
                         s.target >= 0 ? QJsonValue(s.target) : QJsonValue(QJsonValue::Null)},
                        {QStringLiteral("target_name"), nameJson(names, s.target)},
                        {QStringLiteral("predicted"),
                         s.predicted >= 0 ? QJsonValue(s.predicted) : QJsonValue(QJsonValue::Null)},
                        {QStringLiteral("predicted_name"), nameJson(names, s.predicted)},
                        {QStringLiteral("p_target"), number(s.pTarget)},
                        {QStringLiteral("loss"), number(s.loss)}});
    }
    return QJsonObject{
        {QStringLiteral("mean"), number(summary.mean)},
        {QStringLiteral("sum"), number(summary.sum)},
        {QStringLiteral("min"), number(summary.min)},
        {QStringLiteral("max"), number(summary.max)},
        {QStringLiteral("count"), summary.samples},
        {QStringLiteral("positions"), summary.positions},
        {QStringLiteral("ignored"), summary.ignored},
        {QStringLiteral("ignored_share"), summary.ignoredShare()},
        {QStringLiteral("accuracy"),
         summary.accuracy >= 0 ? QJsonValue(summary.accuracy) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("histogram"),
         QJsonObject{{QStringLiteral("low"), number(summary.histogram.low)},
                     {QStringLiteral("high"), number(summary.histogram.high)},
                     {QStringLiteral("counts"), counts}}},
        {QStringLiteral("per_class"), perClass},
        {QStringLiteral("highest_loss"), highest},
    };
}

// ["N", "T", "V"]: core's name of each axis of the tensor ("" where the layout names none).
QJsonArray axesJson(const AnalysisResult& result, int tensor, const std::vector<AxisRole>& roles,
                    const PairLayout& layout)
{
    const TensorInfo* info = result.dump.tensor(tensor);
    return QJsonArray::fromStringList(info ? axisLabels(layout, roles, info->shape.size())
                                           : QStringList());
}

QJsonObject pairToJson(const PairResult& pair, const AnalysisResult& result)
{
    const PairLayout& layout = pair.layout;
    return QJsonObject{
        {QStringLiteral("input"), pair.input},
        {QStringLiteral("target"), pair.target},
        {QStringLiteral("group"), pair.group},
        {QStringLiteral("run"),
         pair.run >= 0 ? QJsonValue(result.runs[pair.run].name) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("step"),
         pair.step >= 0 ? QJsonValue(pair.step) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("batch_size"), layout.batchSize},
        {QStringLiteral("num_classes"), layout.numClasses},
        {QStringLiteral("class_dim"),
         layout.classAxis >= 0 ? QJsonValue(layout.classAxis) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("target_kind"), targetKindName(layout.targetKind)},
        {QStringLiteral("input_axes"),
         axesJson(result, pair.inputTensor, layout.inputRoles, layout)},
        {QStringLiteral("target_axes"),
         axesJson(result, pair.targetTensor, layout.targetRoles, layout)},
        {QStringLiteral("computed"), pair.hasLosses},
        {QStringLiteral("interpretation"), text(layout.interpretation)},
        {QStringLiteral("guessed"), pair.guessed},
        {QStringLiteral("loss"), pair.hasLosses
                                     ? QJsonValue(summaryToJson(pair.summary, pair.classNames))
                                     : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("class_names"),
         pair.classNames.isEmpty() ? QJsonValue(QJsonValue::Null)
                                   : QJsonValue(QJsonArray::fromStringList(pair.classNames))},
        {QStringLiteral("class_names_source"), text(pair.classNamesSource)},
        {QStringLiteral("class_names_note"), text(pair.classNamesNote)},
    };
}

} // namespace

QJsonObject diagnosticToJson(const Diagnostic& d)
{
    QJsonArray axes;
    for (const AxisMark& mark : d.axes) {
        axes.append(QJsonObject{{QStringLiteral("tensor"), mark.side == TensorSide::Input
                                                               ? QStringLiteral("input")
                                                               : QStringLiteral("target")},
                                {QStringLiteral("axis"), mark.axis}});
    }
    QJsonArray samples;
    for (qint64 s : d.samples)
        samples.append(s);
    return QJsonObject{
        {QStringLiteral("code"), d.codeName()},
        {QStringLiteral("severity"), severityName(d.severity)},
        {QStringLiteral("tensors"), QJsonArray::fromStringList(d.tensors)},
        {QStringLiteral("axes"), axes},
        {QStringLiteral("message"), d.message},
        {QStringLiteral("pytorch_error"), text(d.pytorchError)},
        {QStringLiteral("version_note"), text(d.versionNote)},
        {QStringLiteral("explanation"), d.explanation},
        {QStringLiteral("fix"), d.fix},
        // The fix as `check --apply` statements, when it is one (transform/fixtransforms.h).
        {QStringLiteral("apply"), QJsonArray::fromStringList(d.apply)},
        {QStringLiteral("samples"), samples},
        {QStringLiteral("pair"), d.pair >= 0 ? QJsonValue(d.pair) : QJsonValue(QJsonValue::Null)},
    };
}

QJsonObject dumpToJson(const DumpSummary& dump)
{
    QJsonArray tensors;
    for (const TensorInfo& tensor : dump.tensors)
        tensors.append(tensorToJson(tensor));
    // After the readable ones, so that a tensor's index stays its index into dump.tensors.
    for (const TensorInfo& object : dump.skipped)
        tensors.append(tensorToJson(object));
    return QJsonObject{
        {QStringLiteral("file"), dump.file},
        {QStringLiteral("format"), formatName(dump.format)},
        {QStringLiteral("tensors"), tensors},
        {QStringLiteral("notes"), QJsonArray::fromStringList(dump.notes)},
    };
}

QJsonObject analysisToJson(const AnalysisResult& result)
{
    QJsonObject object = dumpToJson(result.dump);
    QJsonObject loss = specToJson(result.spec);
    // Only when the kind was guessed: the guess and its reason, never silent.
    if (!result.lossKindReason.isEmpty())
        loss.insert(QStringLiteral("kind_reason"), result.lossKindReason);
    if (result.spec.kind == LossKind::SmoothL1)
        loss.insert(QStringLiteral("beta"), result.spec.beta);
    if (result.spec.kind == LossKind::Huber)
        loss.insert(QStringLiteral("delta"), result.spec.delta);
    if (result.spec.kind == LossKind::KlDiv)
        loss.insert(QStringLiteral("log_target"), result.spec.logTarget);
    object.insert(QStringLiteral("loss"), loss);
    if (!result.transforms.isEmpty()) {
        const TransformVerdict verdict = transformVerdict(result);
        object.insert(
            QStringLiteral("transforms"),
            QJsonObject{{QStringLiteral("applied"), QJsonArray::fromStringList(result.transforms)},
                        {QStringLiteral("was"), QJsonArray::fromStringList(verdict.was)},
                        {QStringLiteral("now"), QJsonArray::fromStringList(verdict.now)},
                        {QStringLiteral("fixed"), verdict.fixed}});
    }
    object.insert(QStringLiteral("torch"),
                  QJsonObject{{QStringLiteral("version"), result.torch.version.toString()},
                              {QStringLiteral("source"), result.torch.sourceName()},
                              {QStringLiteral("recorded"), text(result.torch.recorded)},
                              {QStringLiteral("description"), result.torch.describe()}});
    QJsonArray pairs;
    for (const PairResult& pair : result.pairs)
        pairs.append(pairToJson(pair, result));
    object.insert(QStringLiteral("pairs"), pairs);
    object.insert(QStringLiteral("steps"), flowsToJson(result));
    QJsonArray runs;
    for (const RunResult& run : result.runs) {
        QJsonArray batches;
        for (const BatchStatistic& b : run.batches) {
            batches.append(QJsonObject{{QStringLiteral("group"), b.group},
                                       {QStringLiteral("pair"), b.pair},
                                       {QStringLiteral("size"), b.size},
                                       {QStringLiteral("mean_loss"), number(b.meanLoss)}});
        }
        QJsonArray members;
        for (int p : run.pairs)
            members.append(p);
        runs.append(QJsonObject{{QStringLiteral("name"), run.name},
                                {QStringLiteral("pairs"), members},
                                {QStringLiteral("batches"), batches}});
    }
    object.insert(QStringLiteral("runs"), runs);
    QJsonArray diagnostics;
    for (const Diagnostic& d : result.diagnostics)
        diagnostics.append(diagnosticToJson(d));
    object.insert(QStringLiteral("diagnostics"), diagnostics);
    object.insert(QStringLiteral("unpaired"), QJsonArray::fromStringList(result.unpaired));
    object.insert(QStringLiteral("summary"),
                  QJsonObject{{QStringLiteral("errors"), result.count(Severity::Error)},
                              {QStringLiteral("warnings"), result.count(Severity::Warning)},
                              {QStringLiteral("info"), result.count(Severity::Info)}});
    return object;
}

Status saveJsonReport(const AnalysisResult& result, const QString& path,
                      const QString& protectedPath)
{
    return writeAtomically(path, protectedPath,
                           QJsonDocument(analysisToJson(result)).toJson(QJsonDocument::Indented));
}

} // namespace shapescope
