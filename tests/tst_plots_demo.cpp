// SPDX-License-Identifier: GPL-3.0-or-later
// A window for looking at the plots, the inspector and the values view (not a test, not
// installed): tst_plots_demo FILE [--kind KIND] [--sample PAIR:SAMPLE] [--ignore-index N]
// [--values TENSOR] [--theme light|dark] [--synthetic BATCHES] [--quit-after MS] [--size WxH]
#include "common/theme.h"
#include "losses/lossplotspage.h"
#include "plots/persampleplot.h"
#include "tst_plots_support.h"
#include "values/tensorvaluesview.h"

#include <QCommandLineParser>
#include <QTabWidget>
#include <QTimer>

using namespace shapescope;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A dump"));
    parser.addOptions(
        {{QStringLiteral("kind"), QStringLiteral("Plot kind"), QStringLiteral("KIND"),
          QStringLiteral("per-sample")},
         {QStringLiteral("sample"), QStringLiteral("PAIR:SAMPLE to inspect"),
          QStringLiteral("P:S")},
         {QStringLiteral("ignore-index"), QStringLiteral("ignore_index"), QStringLiteral("N"),
          QStringLiteral("-100")},
         {QStringLiteral("values"), QStringLiteral("Show this tensor's values"),
          QStringLiteral("TENSOR")},
         {QStringLiteral("theme"), QStringLiteral("light or dark"), QStringLiteral("THEME"),
          QStringLiteral("light")},
         {QStringLiteral("synthetic"), QStringLiteral("A synthetic run of N batches of 2000"),
          QStringLiteral("N")},
         {QStringLiteral("quit-after"), QStringLiteral("Quit after MS"), QStringLiteral("MS")},
         {QStringLiteral("size"), QStringLiteral("Window size"), QStringLiteral("WxH"),
          QStringLiteral("1600x1000")}});
    parser.process(app);
    applyTheme(parser.value(QStringLiteral("theme")) == QLatin1String("dark") ? Theme::Dark
                                                                              : Theme::Light);

    auto session = std::make_shared<InProcessSession>();
    const QString file = parser.positionalArguments().value(0);
    std::shared_ptr<const AnalysisResult> result;
    if (parser.isSet(QStringLiteral("synthetic"))) {
        result = test::syntheticRun(parser.value(QStringLiteral("synthetic")).toInt(), 2000, 777);
    } else {
        AnalysisOptions options;
        options.spec.ignoreIndex = parser.value(QStringLiteral("ignore-index")).toLongLong();
        result = test::analyzeFile(*session, file, options);
    }
    if (!result)
        return 2;

    QTabWidget window;
    window.setWindowTitle(QStringLiteral("ShapeScope plots demo"));
    auto* page = new LossPlotsPage(&window);
    page->setSession(session);
    page->setResult(result, file);
    window.addTab(page, QStringLiteral("Losses"));
    auto* values = new TensorValuesView(&window);
    values->setSession(session);
    window.addTab(values, QStringLiteral("Values"));
    if (const std::optional<PlotKind> kind = plotKindFromName(parser.value(QStringLiteral("kind"))))
        page->setCurrentKind(*kind);
    if (parser.isSet(QStringLiteral("sample"))) {
        const QStringList parts = parser.value(QStringLiteral("sample")).split(QLatin1Char(':'));
        page->showSample(parts.value(0).toInt(), parts.value(1).toLongLong());
    }
    if (parser.isSet(QStringLiteral("values"))) {
        for (const TensorInfo& t : result->dump.tensors) {
            if (t.path == parser.value(QStringLiteral("values")))
                values->showTensor(file, t);
        }
        window.setCurrentWidget(values);
    }
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    window.setGeometry(0, 0, size.value(0).toInt(), size.value(1).toInt());
    window.show();
    if (parser.isSet(QStringLiteral("quit-after")))
        QTimer::singleShot(parser.value(QStringLiteral("quit-after")).toInt(), &app,
                           &QApplication::quit);
    return app.exec();
}
