// SPDX-License-Identifier: GPL-3.0-or-later
#include "topclassespanel.h"

#include "topclassesmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace shapescope {

TopClassesPanel::TopClassesPanel(QWidget* parent)
    : QWidget(parent), m_model(new TopClassesModel(this)), m_k(new QSpinBox(this)),
      m_table(new QTableView(this))
{
    m_k->setObjectName(QStringLiteral("topK"));
    m_k->setRange(1, 100);
    m_k->setValue(m_model->k());
    m_k->setPrefix(tr("top "));
    m_k->setToolTip(tr("How many of the most probable classes to list"));
    m_table->setObjectName(QStringLiteral("topClasses"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 4);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("<b>Predictions</b>"), this));
    top->addStretch(1);
    top->addWidget(m_k);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    setMinimumWidth(m_table->fontMetrics().horizontalAdvance(
                        QStringLiteral("# 00 (automobile) \u25C0 target 0.00000")) +
                    48);

    connect(m_k, &QSpinBox::valueChanged, m_model, &TopClassesModel::setK);
}

void TopClassesPanel::setProbabilities(std::vector<double> probabilities, qint64 target,
                                       QStringList names)
{
    m_model->setProbabilities(std::move(probabilities), target, std::move(names));
}

void TopClassesPanel::clear()
{
    m_model->clear();
}

void TopClassesPanel::setK(int k)
{
    m_k->setValue(k);
}

int TopClassesPanel::k() const
{
    return m_model->k();
}

} // namespace shapescope
