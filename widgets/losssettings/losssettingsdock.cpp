// SPDX-License-Identifier: GPL-3.0-or-later
#include "losssettingsdock.h"

#include "analysis/axisnames.h"
#include "common/statuscolors.h"
#include "common/textformat.h"
#include "ctcsettings.h"
#include "state/selectioncoordinator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>
#include <climits>

namespace shapescope {

namespace {

QString joinList(const std::vector<double>& values)
{
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'g', 10);
    return parts.join(QStringLiteral(", "));
}

void selectData(QComboBox* box, const QVariant& data)
{
    const int index = box->findData(data);
    box->setCurrentIndex(index >= 0 ? index : 0);
}

} // namespace

LossSettingsDock::LossSettingsDock(QWidget* parent) : QDockWidget(tr("Loss settings"), parent)
{
    setObjectName(QStringLiteral("lossSettingsDock"));
    auto* content = new QWidget(this);
    auto* outer = new QVBoxLayout(content);
    outer->setContentsMargins(6, 6, 6, 6);
    auto* form = new QFormLayout;
    m_form = form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(form);

    m_kind = new QComboBox(content);
    m_kind->setObjectName(QStringLiteral("lossKind"));
    m_kind->addItem(tr("Guess from the dump"), kGuessKind);
    for (LossKind kind : allLossKinds())
        m_kind->addItem(lossClassName(kind), int(kind));
    form->addRow(tr("&Loss"), m_kind);
    m_guess = new QLabel(content);
    m_guess->setObjectName(QStringLiteral("lossKindGuess"));
    m_guess->setWordWrap(true);
    m_guess->hide();
    form->addRow(QString(), m_guess);

    m_beta = new QDoubleSpinBox(content);
    m_beta->setObjectName(QStringLiteral("smoothL1Beta"));
    m_beta->setRange(0.0, 1e6);
    m_beta->setDecimals(4);
    m_beta->setValue(1.0);
    m_beta->setToolTip(tr("SmoothL1Loss: below beta the loss is quadratic (PyTorch's default 1)."));
    form->addRow(tr("&beta"), m_beta);
    m_delta = new QDoubleSpinBox(content);
    m_delta->setObjectName(QStringLiteral("huberDelta"));
    m_delta->setRange(1e-6, 1e6);
    m_delta->setDecimals(4);
    m_delta->setValue(1.0);
    m_delta->setToolTip(tr("HuberLoss: below delta the loss is quadratic (PyTorch's default 1)."));
    form->addRow(tr("&delta"), m_delta);
    m_logTarget = new QCheckBox(tr("target holds log-probabilities"), content);
    m_logTarget->setObjectName(QStringLiteral("klLogTarget"));
    form->addRow(tr("log_&target"), m_logTarget);

    m_classAxis = new QComboBox(content);
    m_classAxis->setObjectName(QStringLiteral("classAxis"));
    m_classAxis->setToolTip(
        tr("The input's class axis. PyTorch expects 1 (or 0 for unbatched input)."));
    form->addRow(tr("&Class axis"), m_classAxis);

    m_ignoreIndex = new QSpinBox(content);
    m_ignoreIndex->setObjectName(QStringLiteral("ignoreIndex"));
    m_ignoreIndex->setRange(INT_MIN, INT_MAX);
    m_ignoreIndex->setValue(-100);
    m_ignoreIndex->setToolTip(
        tr("Targets equal to this contribute nothing (PyTorch's default: -100)."));
    form->addRow(tr("&ignore_index"), m_ignoreIndex);

    m_smoothing = new QDoubleSpinBox(content);
    m_smoothing->setObjectName(QStringLiteral("labelSmoothing"));
    m_smoothing->setRange(0.0, 1.0);
    m_smoothing->setSingleStep(0.05);
    m_smoothing->setDecimals(3);
    form->addRow(tr("Label &smoothing"), m_smoothing);

    m_weightMode = new QComboBox(content);
    m_weightMode->setObjectName(QStringLiteral("weightMode"));
    m_weightMode->addItem(tr("None"), NoWeight);
    m_weightMode->addItem(tr("List"), WeightList);
    m_weightMode->addItem(tr("Tensor of the dump"), WeightTensor);
    form->addRow(tr("Class &weights"), m_weightMode);
    m_weightList = new QLineEdit(content);
    m_weightList->setObjectName(QStringLiteral("weightList"));
    m_weightList->setPlaceholderText(tr("1.0, 2.0, 0.5, ..."));
    form->addRow(QString(), m_weightList);
    m_weightTensor = new QComboBox(content);
    m_weightTensor->setObjectName(QStringLiteral("weightTensor"));
    form->addRow(QString(), m_weightTensor);

    m_posWeight = new QLineEdit(content);
    m_posWeight->setObjectName(QStringLiteral("posWeight"));
    m_posWeight->setPlaceholderText(tr("per class, e.g. 1, 2, 3"));
    form->addRow(tr("&pos_weight"), m_posWeight);
    m_ctc = new CtcSettings(content);
    form->addRow(m_ctc);

    m_input = new QComboBox(content);
    m_input->setObjectName(QStringLiteral("pairInput"));
    m_target = new QComboBox(content);
    m_target->setObjectName(QStringLiteral("pairTarget"));
    for (QComboBox* box : {m_input, m_target}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
    }
    m_input->setToolTip(
        tr("Pair this tensor as the model output instead of the automatic pairing"));
    m_target->setToolTip(tr("Pair this tensor as the target instead of the automatic pairing"));
    form->addRow(tr("Pair &input"), m_input);
    form->addRow(tr("Pair &target"), m_target);

    m_torch = new QComboBox(content);
    m_torch->setObjectName(QStringLiteral("torchVersionBox"));
    m_torch->addItem(tr("Automatic"), QString());
    m_torch->setItemData(0,
                         tr("$%1 if set, else the version the dump records, else torch %2")
                             .arg(QLatin1String(torchVersionVariable), newestTorch().toString()),
                         Qt::ToolTipRole);
    const std::vector<TorchVersion>& versions = supportedTorchVersions();
    for (auto it = versions.rbegin(); it != versions.rend(); ++it)
        m_torch->addItem(tr("torch %1").arg(it->toString()), it->toString());
    m_torch->setToolTip(tr("The PyTorch release whose checks and messages the diagnostics quote"));
    form->addRow(tr("&PyTorch"), m_torch);

    m_call = new QLabel(content);
    m_call->setObjectName(QStringLiteral("pytorchCall"));
    m_call->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_call->setWordWrap(true);
    m_call->setTextInteractionFlags(Qt::TextSelectableByMouse);
    outer->addWidget(m_call);
    m_problem = new QLabel(content);
    m_problem->setWordWrap(true);
    outer->addWidget(m_problem);
    m_reset = new QPushButton(tr("Reset to PyTorch defaults"), content);
    m_reset->setObjectName(QStringLiteral("resetLossSettings"));
    outer->addWidget(m_reset, 0, Qt::AlignLeft);
    outer->addStretch(1);
    setWidget(content);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &LossSettingsDock::emitIfChanged);
    for (QComboBox* box : {m_kind, m_classAxis, m_weightMode, m_weightTensor, m_input, m_target})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { edited(false); });
    connect(m_input, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_updating)
            updateClassAxes();
    });
    connect(m_ignoreIndex, &QSpinBox::valueChanged, this, [this] { edited(true); });
    connect(m_smoothing, &QDoubleSpinBox::valueChanged, this, [this] { edited(true); });
    connect(m_weightList, &QLineEdit::textChanged, this, [this] { edited(true); });
    connect(m_posWeight, &QLineEdit::textChanged, this, [this] { edited(true); });
    connect(m_beta, &QDoubleSpinBox::valueChanged, this, [this] { edited(true); });
    connect(m_delta, &QDoubleSpinBox::valueChanged, this, [this] { edited(true); });
    connect(m_logTarget, &QCheckBox::toggled, this, [this] { edited(false); });
    connect(m_ctc, &CtcSettings::edited, this, [this] { edited(false); });
    connect(m_reset, &QPushButton::clicked, this, &LossSettingsDock::resetToDefaults);
    connect(m_torch, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT torchChanged(m_torch->currentData().toString()); });

    setDump({});
    setSpec(guessingSpec());
}

void LossSettingsDock::setDump(const DumpSummary& dump)
{
    m_updating = true;
    const QVariant weight = m_weightTensor->currentData();
    const QVariant input = m_input->currentData();
    const QVariant target = m_target->currentData();
    m_weightTensor->clear();
    m_input->clear();
    m_target->clear();
    m_input->addItem(tr("auto"), QString());
    m_target->addItem(tr("auto"), QString());
    for (const TensorInfo& t : dump.tensors) {
        const QString label = QStringLiteral("%1  (%2)").arg(t.path, shapeToString(t.shape));
        if (t.shape.size() == 1)
            m_weightTensor->addItem(label, t.path);
        m_input->addItem(label, t.path);
        m_target->addItem(label, t.path);
    }
    selectData(m_weightTensor, weight);
    selectData(m_input, input);
    selectData(m_target, target);
    m_updating = false;
    updateClassAxes();
    updateEnabled();
    updateCall();
}

void LossSettingsDock::setSelection(SelectionCoordinator* selection)
{
    m_selection = selection;
    connect(selection, &SelectionCoordinator::selectionChanged, this,
            &LossSettingsDock::updateClassAxes);
    updateClassAxes();
}

void LossSettingsDock::updateClassAxes()
{
    const std::shared_ptr<const AnalysisResult> result =
        m_selection ? m_selection->result() : nullptr;
    const TensorInfo* tensor = nullptr;
    QStringList labels;
    auto find = [&](const QString& path) -> const TensorInfo* {
        for (const TensorInfo& t : result->dump.tensors) {
            if (t.path == path)
                return &t;
        }
        return nullptr;
    };
    if (result) {
        const int pair = m_selection->currentPair();
        const QString chosen = m_input->currentData().toString();
        if (!chosen.isEmpty()) {
            tensor = find(chosen);
        } else if (pair >= 0 && size_t(pair) < result->pairs.size()) {
            const PairResult& p = result->pairs[size_t(pair)];
            tensor = find(p.input);
            if (tensor)
                labels = axisLabels(p.layout, p.layout.inputRoles, tensor->shape.size());
        } else if (m_selection->selectedTensors().size() == 1) {
            tensor = find(m_selection->selectedTensors().front());
        }
    }
    const bool wasUpdating = m_updating;
    m_updating = true;
    const QVariant axis = m_classAxis->currentData();
    m_classAxis->clear();
    m_classAxis->addItem(tr("auto"), QVariant());
    const int rank = tensor ? int(tensor->shape.size()) : 0;
    auto describe = [&](int a) {
        const QString label = a < labels.size() ? labels[a] : QString();
        const QString size = QString::number(tensor->shape[size_t(a)]);
        return label.isEmpty() ? size : QStringLiteral("%1, %2").arg(label, size);
    };
    for (int a = 0; a < rank; ++a)
        m_classAxis->addItem(QStringLiteral("%1 (%2)").arg(a).arg(describe(a)), a);
    if (rank > 0)
        m_classAxis->addItem(tr("-1 (last: %1)").arg(describe(rank - 1)), -1);
    // A chosen axis the tensor lacks stays chosen and says so, instead of silently becoming auto.
    if (axis.isValid() && m_classAxis->findData(axis) < 0)
        m_classAxis->addItem(tr("%1 (not an axis of the input)").arg(axis.toInt()), axis);
    selectData(m_classAxis, axis);
    m_classAxis->setToolTip(
        tensor ? tr("The class axis of %1 (%2). PyTorch expects 1 (or 0 for unbatched input).")
                     .arg(tensor->path, shapeToString(tensor->shape))
               : tr("The input's class axis. Select a pair or tensor to choose one of its axes."));
    m_updating = wasUpdating;
}

void LossSettingsDock::setSpec(const LossSpec& spec)
{
    m_shown = spec;
    m_updating = true;
    selectData(m_kind, spec.guessKind ? kGuessKind : int(spec.kind));
    m_beta->setValue(spec.beta);
    m_delta->setValue(spec.delta);
    m_logTarget->setChecked(spec.logTarget);
    if (spec.classDim && m_classAxis->findData(*spec.classDim) < 0)
        m_classAxis->addItem(tr("%1 (not an axis of the input)").arg(*spec.classDim),
                             *spec.classDim);
    selectData(m_classAxis, spec.classDim ? QVariant(*spec.classDim) : QVariant());
    m_ignoreIndex->setValue(int(std::clamp<qint64>(spec.ignoreIndex, INT_MIN, INT_MAX)));
    m_smoothing->setValue(spec.labelSmoothing);
    const WeightMode mode = !spec.weightTensor.isEmpty() ? WeightTensor
                            : !spec.weight.empty()       ? WeightList
                                                         : NoWeight;
    selectData(m_weightMode, int(mode));
    m_weightList->setText(joinList(spec.weight));
    selectData(m_weightTensor, spec.weightTensor);
    m_posWeight->setText(joinList(spec.posWeight));
    m_ctc->setSpec(spec);
    selectData(m_input, spec.inputPath);
    selectData(m_target, spec.targetPath);
    m_updating = false;
    updateClassAxes();
    m_debounce.stop();
    m_lastEmitted = currentSpec();
    updateEnabled();
    updateCall();
}

std::optional<TorchVersion> LossSettingsDock::currentTorch() const
{
    return parseTorchVersion(m_torch->currentData().toString());
}

std::optional<LossSpec> LossSettingsDock::currentSpec() const
{
    LossSpec spec;
    if (m_kind->currentData().toInt() == kGuessKind)
        spec.guessKind = true;
    else
        spec.kind = LossKind(m_kind->currentData().toInt());
    if (spec.kind == LossKind::SmoothL1)
        spec.beta = m_beta->value();
    if (spec.kind == LossKind::Huber)
        spec.delta = m_delta->value();
    if (spec.kind == LossKind::KlDiv)
        spec.logTarget = m_logTarget->isChecked();
    if (m_classAxis->currentData().isValid())
        spec.classDim = m_classAxis->currentData().toInt();
    if (spec.kind == LossKind::CrossEntropy || spec.kind == LossKind::Nll)
        spec.ignoreIndex = m_ignoreIndex->value();
    if (spec.kind == LossKind::CrossEntropy)
        spec.labelSmoothing = m_smoothing->value();
    const auto mode = WeightMode(m_weightMode->currentData().toInt());
    if (mode == WeightList) {
        const auto list = parseNumberList(m_weightList->text());
        if (!list)
            return std::nullopt;
        spec.weight = *list;
    } else if (mode == WeightTensor) {
        spec.weightTensor = m_weightTensor->currentData().toString();
    }
    if (spec.kind == LossKind::Bce) {
        const auto list = parseNumberList(m_posWeight->text());
        if (!list)
            return std::nullopt;
        spec.posWeight = *list;
    }
    if (spec.kind == LossKind::Ctc)
        m_ctc->apply(spec);
    const QString input = m_input->currentData().toString();
    const QString target = m_target->currentData().toString();
    if (input.isEmpty() != target.isEmpty())
        return std::nullopt;
    spec.inputPath = input;
    spec.targetPath = target;
    spec.roles = m_shown.roles;
    spec.inputLengthsPath = m_shown.inputLengthsPath;
    spec.targetLengthsPath = m_shown.targetLengthsPath;
    return spec;
}

void LossSettingsDock::setLossKindReason(const QString& reason)
{
    m_guess->setText(reason);
    updateEnabled();
}

void LossSettingsDock::resetToDefaults()
{
    // setSpec records what it shows as already applied; a reset is compared with what the
    // analysis last received instead, or it would never be sent.
    const std::optional<LossSpec> applied = m_lastEmitted;
    setSpec(guessingSpec());
    m_lastEmitted = applied;
    emitIfChanged();
}

void LossSettingsDock::applyPending()
{
    if (!m_debounce.isActive())
        return;
    m_debounce.stop();
    emitIfChanged();
}

void LossSettingsDock::edited(bool debounce)
{
    if (m_updating)
        return;
    updateEnabled();
    updateCall();
    if (debounce) {
        m_debounce.start();
        return;
    }
    m_debounce.stop();
    emitIfChanged();
}

void LossSettingsDock::emitIfChanged()
{
    const std::optional<LossSpec> spec = currentSpec();
    if (!spec || (m_lastEmitted && *spec == *m_lastEmitted))
        return;
    m_lastEmitted = spec;
    Q_EMIT specChanged(*spec);
}

void LossSettingsDock::updateEnabled()
{
    const auto kind = LossKind(m_kind->currentData().toInt());
    const auto mode = WeightMode(m_weightMode->currentData().toInt());
    const bool guessing = m_kind->currentData().toInt() == kGuessKind;
    m_guess->setVisible(guessing && !m_guess->text().isEmpty());
    // Rows of one kind only are shown for that kind, so the dock stays short on small screens.
    m_form->setRowVisible(m_beta, !guessing && kind == LossKind::SmoothL1);
    m_form->setRowVisible(m_delta, !guessing && kind == LossKind::Huber);
    m_form->setRowVisible(m_logTarget, !guessing && kind == LossKind::KlDiv);
    m_ignoreIndex->setEnabled(guessing || kind == LossKind::CrossEntropy || kind == LossKind::Nll);
    m_smoothing->setEnabled(guessing || kind == LossKind::CrossEntropy);
    m_posWeight->setEnabled(kind == LossKind::Bce);
    m_ctc->setVisible(kind == LossKind::Ctc);
    m_weightList->setVisible(mode == WeightList);
    m_weightTensor->setVisible(mode == WeightTensor);
}

void LossSettingsDock::updateCall()
{
    const std::optional<LossSpec> spec = currentSpec();
    const StatusColors colors = StatusColors::from(palette());
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, colors.error);
    m_problem->setPalette(problemPalette);
    if (!spec) {
        const QString input = m_input->currentData().toString();
        const QString target = m_target->currentData().toString();
        m_problem->setText(input.isEmpty() != target.isEmpty()
                               ? tr("Choose both the input and the target to override the pairing.")
                               : tr("Weights must be numbers separated by commas."));
        m_problem->show();
        return;
    }
    m_problem->hide();
    m_call->setText(spec->guessKind ? tr("The loss kind is guessed from the dump.")
                                    : lossSpecText(*spec));
}

} // namespace shapescope
