// SPDX-License-Identifier: GPL-3.0-or-later
// The one write path of every export: temporary file + rename, never over the open dump.
#include "common/atomicwrite.h"
#include "testutils.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace shapescope;

using test::readAll;
using test::writeAll;

class TestAtomicWrite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void refusesOtherSpellingsOfTheDump_data();
    void refusesOtherSpellingsOfTheDump();
    void writesAndReplaces();
    void failedWriteKeepsTheOldFile();
    void refusesAFolder();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dump;
};

void TestAtomicWrite::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_dump = m_dir->filePath(QStringLiteral("run.h5"));
    QVERIFY(writeAll(m_dump, "dump bytes"));
}

void TestAtomicWrite::refusesOtherSpellingsOfTheDump_data()
{
    // How the export path is spelled, relative to the temporary folder; "link:" and "hard:"
    // entries are made as a symlink or a hard link to the dump first.
    QTest::addColumn<QString>("spelling");
    QTest::addColumn<bool>("refused");
    QTest::addRow("same path") << QStringLiteral("run.h5") << true;
    QTest::addRow("dot segment") << QStringLiteral("./run.h5") << true;
    QTest::addRow("parent segment") << QStringLiteral("sub/../run.h5") << true;
    QTest::addRow("symlink") << QStringLiteral("link:alias.h5") << true;
    QTest::addRow("hard link") << QStringLiteral("hard:twin.h5") << true;
    QTest::addRow("another file") << QStringLiteral("report.md") << false;
}

void TestAtomicWrite::refusesOtherSpellingsOfTheDump()
{
    QFETCH(QString, spelling);
    QFETCH(bool, refused);
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("sub")));
    QString path = m_dir->filePath(spelling);
    if (spelling.startsWith(QLatin1String("link:"))) {
        path = m_dir->filePath(spelling.mid(5));
        QVERIFY(QFile::link(m_dump, path));
    } else if (spelling.startsWith(QLatin1String("hard:"))) {
        path = m_dir->filePath(spelling.mid(5));
        QCOMPARE(::link(QFile::encodeName(m_dump).constData(), QFile::encodeName(path).constData()),
                 0);
    }
    QCOMPARE(isSameFile(path, m_dump), refused);
    const Status status = writeAtomically(path, m_dump, QByteArray("report"));
    QCOMPARE(!status.ok(), refused);
    if (refused)
        QVERIFY2(status.error().contains(QLatin1String("over the opened dump")),
                 qPrintable(status.error()));
    QCOMPARE(readAll(m_dump), QByteArray("dump bytes"));
}

void TestAtomicWrite::writesAndReplaces()
{
    const QString path = m_dir->filePath(QStringLiteral("out.csv"));
    QVERIFY(writeAtomically(path, m_dump, QByteArray("first")).ok());
    QCOMPARE(readAll(path), QByteArray("first"));
    QVERIFY(writeAtomically(path, m_dump, QByteArray("second")).ok());
    QCOMPARE(readAll(path), QByteArray("second"));
    // No protected path: nothing is refused.
    QVERIFY(writeAtomically(path, QString(), QByteArray("third")).ok());
    QCOMPARE(readAll(path), QByteArray("third"));
}

void TestAtomicWrite::failedWriteKeepsTheOldFile()
{
    const QString path = m_dir->filePath(QStringLiteral("kept.csv"));
    QVERIFY(writeAll(path, "old contents\n"));
    const Status failed = writeAtomically(path, m_dump, [](QIODevice& device) -> Status {
        device.write("half a fi");
        return Error{QStringLiteral("interrupted")};
    });
    QVERIFY(!failed.ok());
    QVERIFY(failed.error().startsWith(path));
    QVERIFY(failed.error().contains(QLatin1String("interrupted")));
    QCOMPARE(readAll(path), QByteArray("old contents\n"));
    QCOMPARE(QDir(m_dir->path())
                 .entryList({QStringLiteral("kept.csv*")}, QDir::Files | QDir::Hidden)
                 .size(),
             1);
}

void TestAtomicWrite::refusesAFolder()
{
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("folder")));
    const Status status =
        writeAtomically(m_dir->filePath(QStringLiteral("folder")), QString(), QByteArray("x"));
    QVERIFY(!status.ok());
    QVERIFY(status.error().contains(QLatin1String("is a folder")));
    QVERIFY(!writeAtomically(QString(), QString(), QByteArray("x")).ok());
}

QTEST_GUILESS_MAIN(TestAtomicWrite)
#include "tst_atomicwrite.moc"
