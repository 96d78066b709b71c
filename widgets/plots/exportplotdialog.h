// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plotexport.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace shapescope {

// File > Export Plot: where to, which format (PNG, JPG, PDF, SVG; the file name's suffix and
// the format follow each other), the size in device-independent pixels and the DPI of raster
// and PDF output.
class ExportPlotDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ExportPlotDialog(QWidget* parent = nullptr);

    void setPath(const QString& path);
    QString path() const;
    void setOptions(const PlotExportOptions& options);
    PlotExportOptions options() const;

private:
    void onFormatChosen();
    void onPathEdited();
    void browse();
    void updateSummary();

    QLineEdit* m_path;
    QComboBox* m_format;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QSpinBox* m_dpi;
    QLabel* m_summary;
};

} // namespace shapescope
