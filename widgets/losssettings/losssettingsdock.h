// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"

#include <QDockWidget>
#include <QTimer>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace shapescope {
class CtcSettings;
class SelectionCoordinator;
} // namespace shapescope

namespace shapescope {

// The loss the user trains with: kind, class axis, ignore_index, label smoothing, class
// weights (a list or a tensor of the dump), pos_weight, and a pairing override. Emits
// specChanged when an edit settles: at once for choices, 300 ms after typing stops for text.
class LossSettingsDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit LossSettingsDock(QWidget* parent = nullptr);

    // Offers the dump's tensors for the weight tensor and the pairing override.
    void setDump(const DumpSummary& dump);
    // The class axis then offers the axes of the tensor the loss reads as input: the chosen
    // input, else the selected pair's, else the one selected tensor (none without a selection).
    void setSelection(SelectionCoordinator* selection);
    // Shows `spec` without emitting specChanged.
    void setSpec(const LossSpec& spec);
    // The spec the fields describe, or nullopt (with the reason shown) when one is invalid.
    std::optional<LossSpec> currentSpec() const;
    // Shows and applies PyTorch's defaults (emits specChanged unless they are already applied).
    void resetToDefaults();
    // The analysis' reason for the loss kind it guessed ("guessed: mse, because ..."), shown under
    // the kind while "Guess from the dump" is chosen; empty hides it.
    void setLossKindReason(const QString& reason);
    // Sends an edit still waiting for typing to settle, so a reload uses what the form shows.
    void applyPending();

    static constexpr int kDebounceMs = 300;

    // The kinds of allLossKinds() (data: int(LossKind)), after "Guess from the dump" (data: -1).
    QComboBox* kindBox() const { return m_kind; }
    QDoubleSpinBox* betaBox() const { return m_beta; }
    QDoubleSpinBox* deltaBox() const { return m_delta; }
    QCheckBox* logTargetBox() const { return m_logTarget; }
    QLabel* guessLabel() const { return m_guess; }
    static constexpr int kGuessKind = -1;
    QComboBox* classAxisBox() const { return m_classAxis; }
    QSpinBox* ignoreIndexBox() const { return m_ignoreIndex; }
    QDoubleSpinBox* smoothingBox() const { return m_smoothing; }
    QComboBox* weightModeBox() const { return m_weightMode; }
    QLineEdit* weightListEdit() const { return m_weightList; }
    QComboBox* weightTensorBox() const { return m_weightTensor; }
    QComboBox* inputBox() const { return m_input; }
    QComboBox* targetBox() const { return m_target; }
    // The PyTorch release to speak for: "Automatic" (SHAPESCOPE_TORCH_VERSION, else the dump's
    // recorded version, else the newest) or one of the supported releases.
    QComboBox* torchBox() const { return m_torch; }
    std::optional<TorchVersion> currentTorch() const;

Q_SIGNALS:
    void specChanged(const shapescope::LossSpec& spec);
    // The release chosen in torchBox(); "" for Automatic.
    void torchChanged(const QString& version);

private:
    enum WeightMode
    {
        NoWeight,
        WeightList,
        WeightTensor
    };
    void edited(bool debounce);
    void emitIfChanged();
    void updateEnabled();
    void updateCall();
    void updateClassAxes();

    SelectionCoordinator* m_selection = nullptr;
    QComboBox* m_kind;
    QComboBox* m_classAxis;
    QSpinBox* m_ignoreIndex;
    QDoubleSpinBox* m_smoothing;
    QComboBox* m_weightMode;
    QLineEdit* m_weightList;
    QComboBox* m_weightTensor;
    QLineEdit* m_posWeight;
    QComboBox* m_input;
    QComboBox* m_target;
    QComboBox* m_torch;
    QFormLayout* m_form = nullptr;
    QDoubleSpinBox* m_beta = nullptr;
    QDoubleSpinBox* m_delta = nullptr;
    QCheckBox* m_logTarget = nullptr;
    QLabel* m_guess = nullptr;
    CtcSettings* m_ctc;
    QLabel* m_call;
    QLabel* m_problem;
    QPushButton* m_reset;
    QTimer m_debounce;
    std::optional<LossSpec> m_lastEmitted;
    // The spec last shown: its fields without a place in the form (the tree's roles, the CTC
    // lengths tensors) travel on with every edit instead of being dropped by it.
    LossSpec m_shown;
    bool m_updating = false;
};

} // namespace shapescope
