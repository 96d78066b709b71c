// SPDX-License-Identifier: GPL-3.0-or-later
#include "ctcsettings.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QSignalBlocker>
#include <QSpinBox>
#include <algorithm>
#include <climits>

namespace shapescope {

CtcSettings::CtcSettings(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("ctcSettings"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    m_blank = new QSpinBox(this);
    m_blank->setObjectName(QStringLiteral("ctcBlank"));
    m_blank->setRange(0, INT_MAX);
    m_blank->setToolTip(tr("The class index of the CTC blank (torch's default is 0)."));
    form->addRow(tr("&blank"), m_blank);
    m_zeroInfinity = new QCheckBox(tr("zero_infinity"), this);
    m_zeroInfinity->setObjectName(QStringLiteral("ctcZeroInfinity"));
    m_zeroInfinity->setToolTip(
        tr("Samples no alignment can emit count as 0 instead of an infinite loss."));
    form->addRow(QString(), m_zeroInfinity);
    connect(m_blank, &QSpinBox::valueChanged, this, &CtcSettings::edited);
    connect(m_zeroInfinity, &QCheckBox::toggled, this, &CtcSettings::edited);
}

void CtcSettings::setSpec(const LossSpec& spec)
{
    const QSignalBlocker blockBlank(m_blank);
    const QSignalBlocker blockZero(m_zeroInfinity);
    m_blank->setValue(int(std::clamp<qint64>(spec.blank, 0, INT_MAX)));
    m_zeroInfinity->setChecked(spec.zeroInfinity);
}

void CtcSettings::apply(LossSpec& spec) const
{
    spec.blank = m_blank->value();
    spec.zeroInfinity = m_zeroInfinity->isChecked();
}

} // namespace shapescope
