// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "qcustomplotinclude.h"

#include <QStringList>
#include <vector>

namespace shapescope {

// Ticks at whole numbers only (batches, classes), every 1, 2, 5, 10, 20, ... positions so labels
// keep about `spacing` pixels apart on the axis; no sub-ticks. With `labels`, position i is
// labelled labels[i] (a class drawn at i); otherwise with the number itself.
class IntegerTicker : public QCPAxisTicker
{
public:
    explicit IntegerTicker(QCPAxis* axis, int spacing = 32) : m_axis(axis), m_spacing(spacing) {}

    void setLabels(std::vector<qint64> labels) { m_labels = std::move(labels); }
    // Class names: a tick whose class has one shows the name instead of the number.
    void setNames(QStringList names) { m_names = std::move(names); }
    const QStringList& names() const { return m_names; }
    void setSpacing(int spacing) { m_spacing = spacing; }

protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double tickStep) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;

private:
    QCPAxis* m_axis;
    int m_spacing;
    std::vector<qint64> m_labels;
    QStringList m_names;
};

} // namespace shapescope
