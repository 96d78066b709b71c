// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

class QSpinBox;
class QTableView;

namespace shapescope {

class TopClassesModel;

// The inspector's "Top k" list: a k box (5 by default; useful with 4096 classes) over the
// table of the k most probable classes of the shown position, the target marked.
class TopClassesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TopClassesPanel(QWidget* parent = nullptr);

    void setProbabilities(std::vector<double> probabilities, qint64 target, QStringList names);
    void clear();
    void setK(int k);
    int k() const;

    TopClassesModel* model() const { return m_model; }
    QSpinBox* kBox() const { return m_k; }
    QTableView* table() const { return m_table; }

private:
    TopClassesModel* m_model;
    QSpinBox* m_k;
    QTableView* m_table;
};

} // namespace shapescope
