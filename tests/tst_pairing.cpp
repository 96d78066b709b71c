// SPDX-License-Identifier: GPL-3.0-or-later
// Pairing by name: roles, word parts, matching within groups, runs.
#include "analysis/pairing.h"
#include "analysis/tensorrole.h"

#include <QRegularExpression>
#include <QTest>

using namespace shapescope;

namespace {

TensorInfo tensor(const QString& path, DType dtype = DType::Float32)
{
    TensorInfo info;
    info.path = path;
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    info.name = slash >= 0 ? path.mid(slash + 1) : path;
    if (info.name.endsWith(QLatin1String(".npy")))
        info.name.chop(4);
    info.group = slash > 0 ? path.left(slash) : (slash == 0 ? QStringLiteral("/") : QString());
    info.dtype = dtype;
    info.shape = {4, 3};
    return info;
}

} // namespace

class TestPairing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roles_data();
    void roles();
    void parts_data();
    void parts();
    void pairs_data();
    void pairs();
    void runs_data();
    void runs();
    void overrideNeedsBoth();
};

void TestPairing::roles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("floating");
    QTest::addColumn<int>("role");
    const int none = int(TensorRole::None), in = int(TensorRole::Output),
              tg = int(TensorRole::Target), ld = int(TensorRole::Loader),
              ex = int(TensorRole::Extra);
    const std::tuple<const char*, bool, int> rows[] = {
        {"logits", true, in},
        {"Logits", true, in},
        {"outputs", true, in},
        {"model_output", true, in},
        {"modelOutput", true, in},
        {"preds", true, in},
        {"predictions", true, in},
        {"scores", true, in},
        {"y_pred", true, in},
        {"yhat", true, in},
        {"y_hat", true, in},
        {"aux_logits", true, in},
        {"targets", false, tg},
        {"train_labels", false, tg},
        {"label", false, tg},
        {"y", false, tg},
        {"y_true", false, tg},
        {"gt", false, tg},
        {"ground_truth", false, tg},
        {"mask", false, tg},
        {"seg_masks", false, tg},
        {"embeddings", true, none},
        {"attention_mask", false, ex},
        {"padding_mask", false, ex},
        {"lengths", false, ex},
        {"input_lengths", false, ex},
        {"x", true, ld},
        {"inputs", true, ld},
        {"images", true, ld},
        {"input_ids", false, ld},
        {"loss_weight", true, none},
        {"is_true", false, none},
        {"pred_labels", true, in},
        {"pred_labels", false, none},
        {"features", true, ld},
    };
    for (const auto& [name, floating, role] : rows)
        QTest::addRow("%s %s", name, floating ? "float" : "int")
            << QString::fromLatin1(name) << floating << role;
}

void TestPairing::roles()
{
    QFETCH(QString, name);
    QFETCH(bool, floating);
    QFETCH(int, role);
    QCOMPARE(int(classifyTensor(tensor(name, floating ? DType::Float32 : DType::Int64))), role);
}

void TestPairing::parts_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("parts");
    QTest::addColumn<QString>("key");
    QTest::addRow("snake") << "train_labels" << QStringList{"train", "labels"} << "train";
    QTest::addRow("camel") << "modelOutput" << QStringList{"model", "output"} << "";
    QTest::addRow("digits") << "logits_3.npy" << QStringList{"logits", "3"} << "3";
    QTest::addRow("glued digits") << "batch10logits" << QStringList{"batch", "10", "logits"}
                                  << "batch_10";
}

void TestPairing::parts()
{
    QFETCH(QString, name);
    QFETCH(QStringList, parts);
    QFETCH(QString, key);
    QCOMPARE(nameParts(name), parts);
    QCOMPARE(roleFreeKey(name), key);
}

void TestPairing::pairs_data()
{
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<QStringList>("expected"); // "input>target"
    QTest::addRow("one each") << QStringList{"/logits", "/labels"}
                              << QStringList{"/logits>/labels"};
    QTest::addRow("by key") << QStringList{"/train_logits", "/val_logits", "/val_labels",
                                           "/train_labels"}
                            << QStringList{"/train_logits>/train_labels",
                                           "/val_logits>/val_labels"};
    QTest::addRow("numbered") << QStringList{"logits_0.npy", "labels_0.npy", "logits_1.npy",
                                             "labels_1.npy"}
                              << QStringList{"logits_0.npy>labels_0.npy",
                                             "logits_1.npy>labels_1.npy"};
    QTest::addRow("aux shares target") << QStringList{"/logits", "/aux_logits", "/target"}
                                       << QStringList{"/logits>/target", "/aux_logits>/target"};
    QTest::addRow("groups separate") << QStringList{"/a/logits", "/b/labels"} << QStringList{};
    QTest::addRow("no input") << QStringList{"/labels", "/embeddings"} << QStringList{};
    QTest::addRow("prefers target over mask")
        << QStringList{"/out", "/mask", "/target"} << QStringList{"/out>/target"};
}

void TestPairing::pairs()
{
    QFETCH(QStringList, paths);
    QFETCH(QStringList, expected);
    std::vector<TensorInfo> tensors;
    for (const QString& path : paths) {
        const bool target =
            !nameParts(path.section(QLatin1Char('/'), -1))
                 .filter(QRegularExpression(QStringLiteral("^(labels?|targets?|mask|y)$")))
                 .isEmpty();
        tensors.push_back(tensor(path, target ? DType::Int64 : DType::Float32));
    }
    const Expected<Pairing> pairing = pairTensors(tensors, LossSpec{});
    QVERIFY(pairing.ok());
    QStringList got;
    for (const TensorPair& pair : pairing->pairs)
        got << tensors[pair.input].path + QLatin1Char('>') + tensors[pair.target].path;
    QCOMPARE(got, expected);
}

void TestPairing::runs_data()
{
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<QString>("run");
    QTest::addColumn<QStringList>("order");
    QTest::addRow("batches") << QStringList{"/batch_10/logits", "/batch_10/labels",
                                            "/batch_2/logits", "/batch_2/labels"}
                             << "/batch_#" << QStringList{"/batch_2/logits", "/batch_10/logits"};
    QTest::addRow("flat") << QStringList{"logits_10", "labels_10", "logits_9", "labels_9"}
                          << "logits_#" << QStringList{"logits_9", "logits_10"};
}

void TestPairing::runs()
{
    QFETCH(QStringList, paths);
    QFETCH(QString, run);
    QFETCH(QStringList, order);
    std::vector<TensorInfo> tensors;
    for (const QString& path : paths)
        tensors.push_back(
            tensor(path, path.contains(QLatin1String("labels")) ? DType::Int64 : DType::Float32));
    const Expected<Pairing> pairing = pairTensors(tensors, LossSpec{});
    QVERIFY(pairing.ok());
    QCOMPARE(pairing->runs.size(), size_t(1));
    QCOMPARE(pairing->runs[0].name, run);
    QStringList got;
    for (int p : pairing->runs[0].pairs)
        got << tensors[pairing->pairs[p].input].path;
    QCOMPARE(got, order);
    QCOMPARE(pairing->pairs[pairing->runs[0].pairs[1]].step, 1);
}

void TestPairing::overrideNeedsBoth()
{
    LossSpec spec;
    spec.inputPath = QStringLiteral("/a");
    QVERIFY(!pairTensors({tensor(QStringLiteral("/a"))}, spec).ok());
    spec.targetPath = QStringLiteral("/a");
    QVERIFY(pairTensors({tensor(QStringLiteral("/a"))}, spec).ok());
}

QTEST_GUILESS_MAIN(TestPairing)
#include "tst_pairing.moc"
