// SPDX-License-Identifier: GPL-3.0-or-later
#include "shapebenchpage.h"

#include "common/statuscolors.h"
#include "common/textformat.h"
#include "diagnosticcard.h"
#include "flowstripview.h"
#include "losssummarypanel.h"
#include "pairheader.h"
#include "runstripview.h"
#include "shapebenchview.h"
#include "state/selectioncoordinator.h"
#include "transformstrip.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace shapescope {

namespace {

QScrollArea* scrollArea(QWidget* content, QWidget* parent)
{
    auto* area = new QScrollArea(parent);
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QLabel* wrappedLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

void setTextColor(QLabel* label, const QColor& color)
{
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color);
    palette.setColor(QPalette::Text, color);
    label->setPalette(palette);
}

} // namespace

ShapeBenchPage::ShapeBenchPage(SelectionCoordinator* selection, QWidget* parent)
    : QWidget(parent), m_selection(selection)
{
    setObjectName(QStringLiteral("shapeBenchPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_placeholder = new QLabel(m_stack);
    m_placeholder->setObjectName(QStringLiteral("benchPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setMargin(fontMetrics().height() * 2);
    m_stack->addWidget(m_placeholder);
    buildContent();

    connect(m_selection, &SelectionCoordinator::selectionChanged, this, &ShapeBenchPage::refresh);
    setPlaceholder(tr("Open a dump to see its pairs."));
}

void ShapeBenchPage::buildContent()
{
    auto* content = new QWidget(m_stack);
    auto* layout = new QVBoxLayout(content);
    const int line = fontMetrics().height();
    layout->setContentsMargins(line / 2, line / 2, line / 2, 0);

    m_transforms = new TransformStrip(content);
    connect(m_transforms, &TransformStrip::removeRequested, this,
            &ShapeBenchPage::removeTransformRequested);
    connect(m_transforms, &TransformStrip::clearRequested, this,
            &ShapeBenchPage::clearTransformsRequested);
    layout->addWidget(m_transforms);
    m_header = new PairHeader(m_selection, content);
    layout->addWidget(m_header);

    auto* splitter = new QSplitter(Qt::Horizontal, content);
    splitter->setChildrenCollapsible(false);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, line / 2, 0);
    auto* benchRow = new QHBoxLayout;
    m_bench = new ShapeBenchView(left);
    benchRow->addWidget(m_bench);
    benchRow->addStretch(1);
    leftLayout->addLayout(benchRow);
    m_flowTitle = new QLabel(left);
    m_flowTitle->setObjectName(QStringLiteral("flowTitle"));
    m_flowTitle->setWordWrap(true);
    m_flowStrip = new FlowStripView(left);
    leftLayout->addSpacing(line / 2);
    leftLayout->addWidget(m_flowTitle);
    leftLayout->addWidget(m_flowStrip);
    m_pytorchCaption = new QLabel(tr("PyTorch raises"), left);
    QFont bold = m_pytorchCaption->font();
    bold.setBold(true);
    m_pytorchCaption->setFont(bold);
    m_pytorchText = wrappedLabel(left);
    m_pytorchText->setObjectName(QStringLiteral("pytorchError"));
    m_pytorchText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_pytorchText->setToolTip(tr("PyTorch's exception text, verbatim"));
    leftLayout->addSpacing(line / 2);
    leftLayout->addWidget(m_pytorchCaption);
    leftLayout->addWidget(m_pytorchText);
    m_loss = new LossSummaryPanel(left);
    leftLayout->addSpacing(line / 2);
    leftLayout->addWidget(m_loss);
    m_runTitle = new QLabel(left);
    m_runTitle->setFont(bold);
    m_runTitle->setWordWrap(true);
    m_runStrip = new RunStripView(left);
    leftLayout->addSpacing(line);
    leftLayout->addWidget(m_runTitle);
    leftLayout->addWidget(m_runStrip);
    leftLayout->addStretch(1);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(line / 2, 0, line / 2, 0);
    m_cardsLayout = new QVBoxLayout;
    m_cardsLayout->setSpacing(line / 2);
    rightLayout->addLayout(m_cardsLayout);
    m_healthy = wrappedLabel(right);
    m_healthy->setObjectName(QStringLiteral("healthyNote"));
    rightLayout->addWidget(m_healthy);
    rightLayout->addStretch(1);

    m_splitter = splitter;
    splitter->setObjectName(QStringLiteral("benchSplitter"));
    m_leftArea = scrollArea(left, splitter);
    splitter->addWidget(m_leftArea);
    m_rightArea = scrollArea(right, splitter);
    // Cards wrap their text to the column; only the fix scrolls sideways.
    m_rightArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    splitter->addWidget(m_rightArea);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 5);
    layout->addWidget(splitter, 1);
    m_stack->addWidget(content);

    connect(m_runStrip, &RunStripView::pairClicked, m_selection, &SelectionCoordinator::selectPair);
}

void ShapeBenchPage::setResult(std::shared_ptr<const AnalysisResult> result,
                               const QString& pendingNote)
{
    m_result = std::move(result);
    m_pendingNote = pendingNote;
    m_header->setResult(m_result.get());
    m_transforms->setResult(m_result.get());
    refresh();
}

void ShapeBenchPage::setPlaceholder(const QString& text)
{
    m_result.reset();
    m_placeholder->setText(text);
    m_stack->setCurrentIndex(0);
}

bool ShapeBenchPage::isShowingPair() const
{
    return m_stack->currentIndex() == 1 && m_bench->isVisible() && m_bench->bench().valid;
}

QString ShapeBenchPage::titleText() const
{
    return m_header->titleText();
}

QString ShapeBenchPage::verdictText() const
{
    return m_header->verdictText();
}

QString ShapeBenchPage::pytorchText() const
{
    return m_pytorchText->isVisibleTo(this) ? m_pytorchText->text() : QString();
}

QString ShapeBenchPage::placeholderText() const
{
    return m_stack->currentIndex() == 0 ? m_placeholder->text() : QString();
}

QList<DiagnosticCard*> ShapeBenchPage::cards() const
{
    QList<DiagnosticCard*> visible;
    for (DiagnosticCard* card : m_cards) {
        if (!card->isHidden())
            visible << card;
    }
    return visible;
}

void ShapeBenchPage::refresh()
{
    if (!m_result || m_refreshing)
        return;
    m_refreshing = true;
    m_stack->setCurrentIndex(1);
    const AnalysisResult& result = *m_result;
    const int pair = m_selection->currentPair();
    const int selected = m_selection->currentDiagnostic();
    const QStringList tensors = m_selection->selectedTensors();

    std::vector<int> shown;
    for (size_t i = 0; i < result.diagnostics.size(); ++i) {
        const Diagnostic& d = result.diagnostics[i];
        const bool belongs =
            pair >= 0       ? d.pair == pair
            : selected >= 0 ? int(i) == selected
                            : std::any_of(tensors.begin(), tensors.end(),
                                          [&](const QString& t) { return d.tensors.contains(t); });
        if (belongs)
            shown.push_back(int(i));
    }
    if (pair < 0 && tensors.isEmpty() && selected < 0 && result.pairs.empty()) {
        for (size_t i = 0; i < std::min<size_t>(result.diagnostics.size(), 20); ++i)
            shown.push_back(int(i));
    }
    // The selected diagnostic first, then by severity, errors first.
    std::stable_sort(shown.begin(), shown.end(), [&](int a, int b) {
        if ((a == selected) != (b == selected))
            return a == selected;
        return result.diagnostics[size_t(a)].severity > result.diagnostics[size_t(b)].severity;
    });
    showCards(shown, selected);

    int worst = -1;
    QString pytorch;
    for (int i : shown) {
        const Diagnostic& d = result.diagnostics[size_t(i)];
        worst = std::max(worst, int(d.severity));
        if (pytorch.isEmpty() && d.hasPytorchError())
            pytorch = d.pytorchError;
    }
    m_pytorchCaption->setVisible(!pytorch.isEmpty());
    m_pytorchText->setVisible(!pytorch.isEmpty());
    m_pytorchText->setText(pytorch);
    setTextColor(m_pytorchText, StatusColors::from(palette()).error);
    setTextColor(m_pytorchCaption, StatusColors::from(palette()).error);

    const bool hasPair = pair >= 0 && size_t(pair) < result.pairs.size();
    m_bench->setVisible(hasPair);
    m_loss->setVisible(hasPair);
    if (hasPair) {
        m_bench->setBench(BenchLayout::build(result, pair, selected));
        m_loss->setPair(result.pairs[size_t(pair)], result.spec, m_pendingNote);
        m_header->showPair(pair);
    } else if (result.pairs.empty()) {
        m_header->showTitle(tr("No output/target pair found"));
    } else {
        m_header->showTitle(tensors.isEmpty()
                                ? tr("Nothing selected")
                                : tr("%1 is in no pair").arg(tensors.join(QStringLiteral(", "))));
    }
    m_header->setVerdict(worst, !pytorch.isEmpty(), hasPair, !m_pendingNote.isEmpty());
    const StatusColors colors = StatusColors::from(palette());
    m_healthy->setVisible(hasPair && worst < int(Severity::Warning) && m_pendingNote.isEmpty());
    m_healthy->setText(tr("No problems found: the shapes, dtypes and values fit %1.")
                           .arg(lossClassName(result.spec.kind)));
    setTextColor(m_healthy, colors.ok);

    m_flowStrip->setStep(&result, hasPair ? pair : -1);
    m_flowStrip->setVisible(m_flowStrip->hasStep());
    m_flowTitle->setVisible(m_flowStrip->hasStep());
    m_flowTitle->setText(tr("Loader → model → loss: %1").arg(m_flowStrip->summary()));
    setTextColor(m_flowTitle,
                 m_flowStrip->divergesAt() == FlowStage::None ? colors.mutedText : colors.error);

    const int run = hasPair ? result.pairs[size_t(pair)].run : -1;
    m_runStrip->setRun(&result, run, pair);
    const bool showRun = m_runStrip->batchCount() > 0;
    m_runStrip->setVisible(showRun);
    m_runTitle->setVisible(showRun);
    if (showRun) {
        const RunResult& r = result.runs[size_t(run)];
        const QList<int> ragged = m_runStrip->raggedBatches();
        QString title =
            tr("Run %1: %2 of %3 samples")
                .arg(r.name, text::count(m_runStrip->batchCount(), tr("batch"), tr("batches")))
                .arg(m_runStrip->typicalSize());
        if (!ragged.isEmpty())
            title += tr(", %1 ragged")
                         .arg(ragged.size() == 1 ? tr("batch %1 is").arg(ragged.first())
                                                 : tr("%1 batches are").arg(ragged.size()));
        m_runTitle->setText(title);
    }
    m_refreshing = false;
    fitColumns(true);
}

int ShapeBenchPage::benchColumnWidth() const
{
    // The drawings do not shrink: the bench, the flow strip and the run strip need their width.
    int width = 0;
    for (const QWidget* drawing :
         {static_cast<const QWidget*>(m_bench), static_cast<const QWidget*>(m_flowStrip),
          static_cast<const QWidget*>(m_runStrip)}) {
        if (!drawing->isHidden())
            width = std::max(width, drawing->sizeHint().width());
    }
    const QMargins margins = m_leftArea->widget()->layout()->contentsMargins();
    width = std::max(width + margins.left() + margins.right(),
                     m_leftArea->widget()->minimumSizeHint().width());
    return width + m_leftArea->verticalScrollBar()->sizeHint().width() +
           m_leftArea->frameWidth() * 2;
}

void ShapeBenchPage::fitColumns(bool newContent)
{
    const int bench = benchColumnWidth();
    // Below this the explanations wrap every few words.
    const int cards = std::max(fontMetrics().averageCharWidth() * 42,
                               m_rightArea->widget()->minimumSizeHint().width() +
                                   m_rightArea->verticalScrollBar()->sizeHint().width() +
                                   m_rightArea->frameWidth() * 2);
    const bool sideBySide = m_splitter->width() >= bench + cards + m_splitter->handleWidth();
    const Qt::Orientation orientation = sideBySide ? Qt::Horizontal : Qt::Vertical;
    // Side by side the bench column never gets narrower than its drawings; on a narrow window
    // the cards go under the bench instead of cutting either off on the right.
    m_leftArea->setMinimumWidth(sideBySide ? bench : 0);
    m_rightArea->setMinimumWidth(sideBySide ? cards : 0);
    if (m_splitter->orientation() == orientation && !(newContent && !sideBySide))
        return;
    m_splitter->setOrientation(orientation);
    if (sideBySide) {
        m_splitter->setSizes({m_splitter->width() * 44 / 100, m_splitter->width() * 56 / 100});
        return;
    }
    // Stacked, the drawings get the height they need (up to 70 %), the cards the rest.
    const int height = m_splitter->height();
    const int drawings = std::min(m_leftArea->widget()->sizeHint().height() +
                                      m_leftArea->horizontalScrollBar()->sizeHint().height(),
                                  height * 70 / 100);
    m_splitter->setSizes({drawings, height - drawings});
}

void ShapeBenchPage::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitColumns();
}

void ShapeBenchPage::showCards(const std::vector<int>& diagnostics, int selected)
{
    while (m_cards.size() < qsizetype(diagnostics.size())) {
        auto* card = new DiagnosticCard(this);
        connect(card, &DiagnosticCard::activated, m_selection,
                &SelectionCoordinator::selectDiagnostic);
        connect(card, &DiagnosticCard::applyRequested, this, &ShapeBenchPage::applyRequested);
        m_cardsLayout->addWidget(card);
        m_cards << card;
    }
    for (qsizetype i = 0; i < m_cards.size(); ++i) {
        DiagnosticCard* card = m_cards[i];
        if (i < qsizetype(diagnostics.size())) {
            const int index = diagnostics[size_t(i)];
            card->setDiagnostic(m_result->diagnostics[size_t(index)], index, index == selected);
            card->show();
        } else {
            card->hide();
        }
    }
}

void ShapeBenchPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_splitSet)
        return;
    // The bench needs less room than the explanations beside it.
    m_splitSet = true;
    const int width = std::max(m_splitter->width(), fontMetrics().height() * 40);
    m_splitter->setSizes({width * 44 / 100, width * 56 / 100});
}

void ShapeBenchPage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_refreshing)
        refresh();
}

} // namespace shapescope
