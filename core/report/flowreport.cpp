// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowreport.h"

#include <QJsonObject>

namespace shapescope {

namespace {

QJsonValue batchValue(qint64 batch)
{
    return batch >= 0 ? QJsonValue(batch) : QJsonValue(QJsonValue::Null);
}

QJsonObject flowToJson(const StepFlow& flow, const std::vector<TensorInfo>& tensors)
{
    QJsonObject byRole;
    for (TensorRole role :
         {TensorRole::Loader, TensorRole::Output, TensorRole::Target, TensorRole::Extra})
        byRole.insert(tensorRoleName(role), QJsonArray());
    for (const FlowTensor& t : flow.tensors) {
        QJsonArray shape;
        for (qint64 extent : tensors[t.tensor].shape)
            shape.append(extent);
        const QString key = tensorRoleName(t.role);
        QJsonArray list = byRole.value(key).toArray();
        list.append(
            QJsonObject{{QStringLiteral("path"), t.path},
                        {QStringLiteral("shape"), shape},
                        {QStringLiteral("batch"), batchValue(t.batch)},
                        {QStringLiteral("batch_axis"),
                         t.batchAxis >= 0 ? QJsonValue(t.batchAxis) : QJsonValue(QJsonValue::Null)},
                        {QStringLiteral("carries_batch"), t.carriesBatch},
                        {QStringLiteral("diverges"), t.diverges},
                        {QStringLiteral("role_from_user"), t.userRole}});
        byRole.insert(key, list);
    }
    byRole.insert(QStringLiteral("loader_batch"), batchValue(flow.loaderBatch));
    byRole.insert(QStringLiteral("output_batch"), batchValue(flow.outputBatch));
    byRole.insert(QStringLiteral("target_batch"), batchValue(flow.targetBatch));
    byRole.insert(QStringLiteral("diverges_at"), flow.divergesAt == FlowStage::None
                                                     ? QJsonValue(QJsonValue::Null)
                                                     : QJsonValue(flowStageName(flow.divergesAt)));
    return byRole;
}

QString members(const StepFlow& flow, const std::vector<TensorInfo>& tensors, TensorRole role)
{
    QStringList parts;
    for (const FlowTensor& t : flow.tensors) {
        if (t.role != role)
            continue;
        QStringList extents;
        for (qint64 extent : tensors[t.tensor].shape)
            extents << QString::number(extent);
        parts << QStringLiteral("%1 %2").arg(tensors[t.tensor].name,
                                             extents.isEmpty() ? QStringLiteral("scalar")
                                                               : extents.join(QLatin1Char('x')));
    }
    return parts.join(QStringLiteral(", "));
}

QString batchText(qint64 batch)
{
    return batch >= 0 ? QString::number(batch) : QStringLiteral("?");
}

} // namespace

QJsonArray flowsToJson(const AnalysisResult& result)
{
    QJsonArray steps;
    for (const StepFlow& flow : result.flows) {
        QJsonArray pairs;
        for (int p : flow.pairs)
            pairs.append(p);
        steps.append(QJsonObject{
            {QStringLiteral("group"), flow.group},
            {QStringLiteral("run"),
             flow.run >= 0 ? QJsonValue(result.runs[flow.run].name) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("step"),
             flow.step >= 0 ? QJsonValue(flow.step) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("pairs"), pairs},
            {QStringLiteral("guessed"), flow.guessed},
            {QStringLiteral("flow"), flowToJson(flow, result.dump.tensors)},
        });
    }
    return steps;
}

QString flowLine(const StepFlow& flow, const std::vector<TensorInfo>& tensors)
{
    QStringList stages;
    if (flow.hasRole(TensorRole::Loader))
        stages << QStringLiteral("loader %1 (%2)")
                      .arg(batchText(flow.loaderBatch), members(flow, tensors, TensorRole::Loader));
    if (flow.hasRole(TensorRole::Output))
        stages << QStringLiteral("model %1 (%2)")
                      .arg(batchText(flow.outputBatch), members(flow, tensors, TensorRole::Output));
    if (flow.hasRole(TensorRole::Target))
        stages << QStringLiteral("loss target %1 (%2)")
                      .arg(batchText(flow.targetBatch), members(flow, tensors, TensorRole::Target));
    QString line = stages.join(QStringLiteral(" -> "));
    if (flow.hasRole(TensorRole::Extra))
        line += QStringLiteral("; extra: %1").arg(members(flow, tensors, TensorRole::Extra));
    switch (flow.divergesAt) {
    case FlowStage::None:
        line += QStringLiteral(": the batch agrees");
        break;
    case FlowStage::Loader:
        line += QStringLiteral(": the batch already differs in the loader");
        break;
    case FlowStage::Model:
        line += QStringLiteral(": the batch changes in the model");
        break;
    case FlowStage::Target:
        line += QStringLiteral(": the output and the target differ");
        break;
    }
    if (flow.guessed)
        line += QStringLiteral(" (pair guessed by shape and dtype)");
    return line;
}

std::vector<const StepFlow*> flowsToShow(const AnalysisResult& result)
{
    std::vector<const StepFlow*> shown;
    for (const StepFlow& flow : result.flows) {
        if (flow.divergesAt != FlowStage::None)
            shown.push_back(&flow);
    }
    if (shown.empty()) {
        for (const StepFlow& flow : result.flows) {
            if (!flow.pairs.empty()) {
                shown.push_back(&flow);
                break;
            }
        }
    }
    return shown;
}

} // namespace shapescope
