// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/diagnostic.h"

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace shapescope {

// One diagnostic explained: what is wrong, why, and the fix as selectable code with a Copy
// button. A coloured bar in the severity's colour marks it; the selected one is outlined.
class DiagnosticCard : public QFrame
{
    Q_OBJECT

public:
    explicit DiagnosticCard(QWidget* parent = nullptr);

    void setDiagnostic(const Diagnostic& diagnostic, int index, bool selected);
    int diagnosticIndex() const { return m_index; }
    QString fixText() const;
    QPlainTextEdit* fixView() const { return m_fix; }
    QPushButton* copyButton() const { return m_copy; }
    // Shown when the fix is a transform of the dump's tensors (Diagnostic::apply).
    QPushButton* applyButton() const { return m_apply; }

Q_SIGNALS:
    void activated(int index);
    void applyRequested(const QStringList& statements);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void copyFix();
    void fitFixHeight();

    Severity m_severity = Severity::Info;
    int m_index = -1;
    bool m_selected = false;
    QLabel* m_icon;
    QLabel* m_code;
    QLabel* m_message;
    QLabel* m_whyCaption;
    QLabel* m_explanation;
    QLabel* m_samples;
    QLabel* m_versionNote;
    QLabel* m_fixCaption;
    QPlainTextEdit* m_fix;
    QPushButton* m_copy;
    QPushButton* m_apply;
    QStringList m_statements;
};

} // namespace shapescope
