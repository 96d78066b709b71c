// SPDX-License-Identifier: GPL-3.0-or-later
#include "integerticker.h"

#include <cmath>

namespace shapescope {

double IntegerTicker::getTickStep(const QCPRange& range)
{
    // Ticks are made before the first layout pass sizes the axis rect (an export draws once):
    // then the plot's width, less room for the value axes, stands in.
    int pixels = m_axis && m_axis->axisRect() ? m_axis->axisRect()->width() : 0;
    if (pixels < 50 && m_axis)
        pixels = m_axis->parentPlot()->viewport().width() - 140;
    pixels = std::max(pixels, 100);
    const double wanted = range.size() / std::max(1.0, static_cast<double>(pixels) / m_spacing);
    for (double magnitude = 1;; magnitude *= 10) {
        for (double mantissa : {1.0, 2.0, 5.0}) {
            if (mantissa * magnitude >= wanted || magnitude > 1e15)
                return mantissa * magnitude;
        }
    }
}

int IntegerTicker::getSubTickCount(double tickStep)
{
    Q_UNUSED(tickStep);
    return 0;
}

QString IntegerTicker::getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                                    int precision)
{
    const auto index = static_cast<qint64>(std::llround(tick));
    if (std::abs(tick - static_cast<double>(index)) > 1e-6)
        return {};
    if (m_labels.empty() && m_names.isEmpty())
        return QCPAxisTicker::getTickLabel(tick, locale, formatChar, precision);
    if (!m_labels.empty() && (index < 0 || index >= static_cast<qint64>(m_labels.size())))
        return {};
    const qint64 value = m_labels.empty() ? index : m_labels[static_cast<size_t>(index)];
    if (value >= 0 && value < m_names.size() && !m_names[value].isEmpty())
        return m_names[value];
    return QString::number(value);
}

} // namespace shapescope
