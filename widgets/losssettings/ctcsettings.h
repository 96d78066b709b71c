// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/lossspec.h"

#include <QWidget>

class QCheckBox;
class QSpinBox;

namespace shapescope {

// The CTCLoss part of the Loss settings: blank and zero_infinity. The length tensors are found
// by name (input_lengths, target_lengths) or given on the command line.
class CtcSettings : public QWidget
{
    Q_OBJECT

public:
    explicit CtcSettings(QWidget* parent = nullptr);

    void setSpec(const LossSpec& spec); // without emitting edited
    void apply(LossSpec& spec) const;

    QSpinBox* blankBox() const { return m_blank; }
    QCheckBox* zeroInfinityBox() const { return m_zeroInfinity; }

Q_SIGNALS:
    void edited();

private:
    QSpinBox* m_blank;
    QCheckBox* m_zeroInfinity;
};

} // namespace shapescope
