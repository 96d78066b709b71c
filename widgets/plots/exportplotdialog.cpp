// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportplotdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace shapescope {

ExportPlotDialog::ExportPlotDialog(QWidget* parent)
    : QDialog(parent), m_path(new QLineEdit(this)), m_format(new QComboBox(this)),
      m_width(new QSpinBox(this)), m_height(new QSpinBox(this)), m_dpi(new QSpinBox(this)),
      m_summary(new QLabel(this))
{
    setWindowTitle(tr("Export Plot"));
    m_path->setObjectName(QStringLiteral("path"));
    m_format->setObjectName(QStringLiteral("format"));
    m_format->addItem(tr("PNG image"), static_cast<int>(PlotFormat::Png));
    m_format->addItem(tr("JPEG image"), static_cast<int>(PlotFormat::Jpg));
    m_format->addItem(tr("PDF document (vector)"), static_cast<int>(PlotFormat::Pdf));
    m_format->addItem(tr("SVG drawing (vector)"), static_cast<int>(PlotFormat::Svg));
    for (QSpinBox* box : {m_width, m_height}) {
        box->setRange(16, 20000);
        box->setSuffix(tr(" px"));
    }
    m_dpi->setRange(24, 2400);
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setToolTip(tr("96 dpi draws the plot as on screen; 192 or 300 for print and slides."));
    auto* browse = new QPushButton(tr("Browse\u2026"), this);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("File:"), pathRow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Width:"), m_width);
    form->addRow(tr("Height:"), m_height);
    form->addRow(tr("Resolution:"), m_dpi);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &ExportPlotDialog::browse);
    connect(m_format, &QComboBox::activated, this, &ExportPlotDialog::onFormatChosen);
    connect(m_path, &QLineEdit::textEdited, this, &ExportPlotDialog::onPathEdited);
    for (QSpinBox* box : {m_width, m_height, m_dpi})
        connect(box, &QSpinBox::valueChanged, this, &ExportPlotDialog::updateSummary);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, [this, buttons] {
        buttons->button(QDialogButtonBox::Save)->setEnabled(!m_path->text().trimmed().isEmpty());
    });
    setOptions(PlotExportOptions{});
}

void ExportPlotDialog::setPath(const QString& path)
{
    // The suggested path shows whole (up to 80 characters) instead of scrolled in a short field.
    const QFontMetrics metrics = m_path->fontMetrics();
    m_path->setMinimumWidth(std::min(metrics.horizontalAdvance(path) + 2 * metrics.height(),
                                     metrics.averageCharWidth() * 80));
    m_path->setText(path);
    onPathEdited();
}

QString ExportPlotDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportPlotDialog::setOptions(const PlotExportOptions& options)
{
    m_format->setCurrentIndex(m_format->findData(static_cast<int>(options.format)));
    m_width->setValue(options.width);
    m_height->setValue(options.height);
    m_dpi->setValue(qRound(options.dpi));
    onFormatChosen();
}

PlotExportOptions ExportPlotDialog::options() const
{
    PlotExportOptions options;
    options.format = static_cast<PlotFormat>(m_format->currentData().toInt());
    options.width = m_width->value();
    options.height = m_height->value();
    options.dpi = m_dpi->value();
    return options;
}

void ExportPlotDialog::onFormatChosen()
{
    const PlotFormat format = options().format;
    const QString text = path();
    if (!text.isEmpty() && plotFormatFromPath(text) != format) {
        const QFileInfo info(text);
        const QString base =
            info.suffix().isEmpty() ? text : text.left(text.size() - info.suffix().size() - 1);
        m_path->setText(base + QLatin1Char('.') + plotFormatSuffix(format));
    }
    m_dpi->setEnabled(format != PlotFormat::Svg);
    updateSummary();
}

void ExportPlotDialog::onPathEdited()
{
    if (const std::optional<PlotFormat> format = plotFormatFromPath(path())) {
        const QSignalBlocker blocker(m_format);
        m_format->setCurrentIndex(m_format->findData(static_cast<int>(*format)));
        m_dpi->setEnabled(*format != PlotFormat::Svg);
    }
    updateSummary();
}

void ExportPlotDialog::browse()
{
    const QString chosen =
        QFileDialog::getSaveFileName(this, tr("Export Plot"), path(),
                                     tr("Images and drawings (*.png *.jpg *.jpeg *.pdf *.svg);;PNG "
                                        "(*.png);;JPEG (*.jpg *.jpeg);;PDF (*.pdf);;SVG (*.svg)"));
    if (!chosen.isEmpty())
        setPath(chosen);
}

void ExportPlotDialog::updateSummary()
{
    const PlotExportOptions o = options();
    switch (o.format) {
    case PlotFormat::Png:
    case PlotFormat::Jpg:
        m_summary->setText(
            tr("%1 x %2 pixels").arg(o.pixelSize().width()).arg(o.pixelSize().height()));
        break;
    case PlotFormat::Pdf:
        m_summary->setText(tr("A %1 x %2 inch page")
                               .arg(o.width / 96.0, 0, 'f', 1)
                               .arg(o.height / 96.0, 0, 'f', 1));
        break;
    case PlotFormat::Svg:
        m_summary->setText(tr("A %1 x %2 drawing").arg(o.width).arg(o.height));
        break;
    }
}

} // namespace shapescope
