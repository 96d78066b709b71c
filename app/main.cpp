#include "formats/dumpreader.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    if (args.size() < 2)
        return 2;
    auto reader = shapescope::openDump(args.at(1));
    if (!reader) {
        QTextStream(stderr) << reader.error() << '\n';
        return 2;
    }
    for (const auto& t : (*reader)->tensors())
        out << t.path << ' ' << shapescope::shapeToString(t.shape) << ' ' << shapescope::dtypeName(t.dtype) << '\n';
    return 0;
}
