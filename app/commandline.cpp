// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"

#include "analysis/losstransforms.h"
#include "common/displaytext.h"
#include "ctcoptions.h"

#include <QFileInfo>
#include <QTextStream>

namespace shapescope::cli {

namespace {

Expected<std::vector<double>> parseNumbers(const QString& text, const QString& option)
{
    Expected<std::vector<double>> values = parseNumberList(text);
    if (!values)
        return Error{QStringLiteral("--%1: %2").arg(option, values.error())};
    return values;
}

} // namespace

void addLossOptions(QCommandLineParser& parser)
{
    parser.addOptions({
        {QStringLiteral("loss"),
         QStringLiteral("The loss: %1 (default: guessed from the dump, and the guess shown).")
             .arg(lossKindNames()),
         QStringLiteral("kind")},
        {QStringLiteral("beta"), QStringLiteral("smooth_l1: beta (default 1)."),
         QStringLiteral("F"), QStringLiteral("1")},
        {QStringLiteral("delta"), QStringLiteral("huber: delta (default 1)."), QStringLiteral("F"),
         QStringLiteral("1")},
        {QStringLiteral("log-target"),
         QStringLiteral("kl_div: the target holds log-probabilities.")},
        {QStringLiteral("ignore-index"), QStringLiteral("Target value to ignore (default -100)."),
         QStringLiteral("N"), QStringLiteral("-100")},
        {QStringLiteral("label-smoothing"), QStringLiteral("Label smoothing in [0, 1]."),
         QStringLiteral("F"), QStringLiteral("0")},
        {QStringLiteral("weight"),
         QStringLiteral(
             "Class weights: a comma-separated list, or the path of a tensor in the dump."),
         QStringLiteral("a,b,c|TENSOR")},
        {QStringLiteral("weight-tensor"),
         QStringLiteral("The tensor of the dump that holds the class weights (with or without "
                        "the leading /)."),
         QStringLiteral("TENSOR")},
        {QStringLiteral("pos-weight"), QStringLiteral("bce: per-class pos_weight list."),
         QStringLiteral("a,b,c")},
        {QStringLiteral("class-dim"), QStringLiteral("The input's class axis (default: found)."),
         QStringLiteral("D")},
        {QStringLiteral("input"), QStringLiteral("Pair this tensor as the model output."),
         QStringLiteral("PATH")},
        {QStringLiteral("target"), QStringLiteral("Pair this tensor as the target."),
         QStringLiteral("PATH")},
        {QStringLiteral("role"),
         QStringLiteral("Give a tensor its role in the step: loader, output, target or extra "
                        "(repeatable). Tensor paths work with or without the leading /."),
         QStringLiteral("PATH=ROLE")},
        {QStringLiteral("apply"),
         QStringLiteral("Try a fix on the data before editing code, in PyTorch syntax: "
                        "\"logits=logits.permute(0, 2, 1)\", \"labels=labels[:, 1:] - 1\", "
                        "\"labels=labels.long()\" (permute, transpose, movedim, slicing, flatten, "
                        "view, reshape, squeeze, unsqueeze, long/float, +/- N); loss options "
                        "\"ignore_index=255\", \"weight=[1, 2, 0.5]\"; re-pairing "
                        "\"criterion(logits, labels)\". Applied to the analysis, never to the "
                        "file; repeatable, in order."),
         QStringLiteral("NAME=EXPR")},
        {QStringLiteral("class-names"),
         QStringLiteral("A file of class names (one per line, a JSON list, or a JSON object of "
                        "id -> name); used before a class_names attribute or a classes.txt or "
                        "labels.json beside the dump."),
         QStringLiteral("FILE")},
        {QStringLiteral("threads"), QStringLiteral("Worker threads (default: all cores)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("torch"),
         QStringLiteral("The PyTorch release to check and quote for: %1 (default: "
                        "$%2, else the version the dump records, else %3).")
             .arg(supportedTorchText(), QLatin1String(torchVersionVariable),
                  newestTorch().toString()),
         QStringLiteral("VERSION")},
    });
    addCtcOptions(parser);
}

Expected<AnalysisOptions> lossOptions(const QCommandLineParser& parser)
{
    AnalysisOptions options;
    LossSpec& spec = options.spec;
    if (parser.isSet(QStringLiteral("loss"))) {
        const auto kind = lossKindFromName(parser.value(QStringLiteral("loss")));
        if (!kind) {
            return Error{QStringLiteral("--loss: \"%1\" is not one of %2")
                             .arg(parser.value(QStringLiteral("loss")), lossKindNames())};
        }
        spec.kind = *kind;
    } else {
        spec.guessKind = true;
    }
    bool ok = false;
    spec.beta = parser.value(QStringLiteral("beta")).toDouble(&ok);
    if (!ok || spec.beta < 0)
        return Error{QStringLiteral("--beta needs a non-negative number")};
    spec.delta = parser.value(QStringLiteral("delta")).toDouble(&ok);
    if (!ok || spec.delta <= 0)
        return Error{QStringLiteral("--delta needs a positive number")};
    spec.logTarget = parser.isSet(QStringLiteral("log-target"));
    spec.ignoreIndex = parser.value(QStringLiteral("ignore-index")).toLongLong(&ok);
    if (!ok)
        return Error{QStringLiteral("--ignore-index needs an integer")};
    spec.labelSmoothing = parser.value(QStringLiteral("label-smoothing")).toDouble(&ok);
    if (!ok)
        return Error{QStringLiteral("--label-smoothing needs a number")};
    if (parser.isSet(QStringLiteral("weight"))) {
        const QString weight = parser.value(QStringLiteral("weight"));
        Expected<std::vector<double>> numbers = parseNumbers(weight, QStringLiteral("weight"));
        if (numbers && !numbers->empty())
            spec.weight = *numbers;
        else
            spec.weightTensor = weight;
    }
    if (parser.isSet(QStringLiteral("weight-tensor"))) {
        if (parser.isSet(QStringLiteral("weight")))
            return Error{QStringLiteral("give --weight or --weight-tensor, not both")};
        spec.weightTensor = parser.value(QStringLiteral("weight-tensor"));
    }
    Expected<std::vector<RoleOverride>> roles = roleOptions(parser.values(QStringLiteral("role")));
    if (!roles)
        return Error{roles.error()};
    spec.roles = std::move(*roles);
    if (parser.isSet(QStringLiteral("pos-weight"))) {
        Expected<std::vector<double>> numbers =
            parseNumbers(parser.value(QStringLiteral("pos-weight")), QStringLiteral("pos-weight"));
        if (!numbers)
            return Error{numbers.error()};
        spec.posWeight = *numbers;
    }
    if (parser.isSet(QStringLiteral("class-dim"))) {
        const int dim = parser.value(QStringLiteral("class-dim")).toInt(&ok);
        if (!ok)
            return Error{QStringLiteral("--class-dim needs an integer")};
        spec.classDim = dim;
    }
    spec.inputPath = parser.value(QStringLiteral("input"));
    spec.targetPath = parser.value(QStringLiteral("target"));
    if (spec.inputPath.isEmpty() != spec.targetPath.isEmpty())
        return Error{QStringLiteral("--input and --target go together")};
    if (Status ctc = applyCtcOptions(parser, spec); !ctc)
        return ctc.failure();
    options.transforms = parser.values(QStringLiteral("apply"));
    if (Status parsed = parseTransforms(options.transforms); !parsed)
        return Error{QStringLiteral("--apply %1").arg(parsed.error())};
    if (parser.isSet(QStringLiteral("class-names")))
        options.classNamesFile =
            QFileInfo(parser.value(QStringLiteral("class-names"))).absoluteFilePath();
    options.threads = parser.value(QStringLiteral("threads")).toInt(&ok);
    if (!ok || options.threads < 0)
        return Error{QStringLiteral("--threads needs a non-negative integer")};
    if (parser.isSet(QStringLiteral("torch"))) {
        const Expected<TorchVersion> torch =
            supportedTorch(parser.value(QStringLiteral("torch")), QStringLiteral("--torch"));
        if (!torch)
            return Error{torch.error()};
        options.torch = *torch;
        options.torchSource = TorchSource::CommandLine;
    } else {
        const Expected<std::optional<TorchVersion>> fromEnvironment = torchVersionFromEnvironment();
        if (!fromEnvironment)
            return Error{fromEnvironment.error()};
        options.torch = *fromEnvironment;
        options.torchSource = TorchSource::Environment;
    }
    return options;
}

Expected<std::vector<RoleOverride>> roleOptions(const QStringList& values)
{
    std::vector<RoleOverride> roles;
    for (const QString& value : values) {
        const qsizetype equals = value.lastIndexOf(QLatin1Char('='));
        const std::optional<TensorRole> role =
            equals > 0 ? tensorRoleFromName(value.mid(equals + 1)) : std::nullopt;
        if (!role || *role == TensorRole::None)
            return Error{
                QStringLiteral("--role: \"%1\" is not PATH=loader|output|target|extra").arg(value)};
        roles.push_back({value.left(equals), *role});
    }
    return roles;
}

std::optional<int> parseArguments(QCommandLineParser& parser, const QStringList& arguments)
{
    if (!parser.parse(arguments))
        return fail(parser.errorText().simplified());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(ExitOk);
    return std::nullopt;
}

int fail(const QString& message)
{
    // One line, as scripts expect: the raw chain a reader keeps after "Details:" is for the
    // GUI's Details button.
    const qsizetype details = message.indexOf(QStringLiteral("\n\nDetails:\n"));
    QTextStream(stderr) << "shapescope: " << (details < 0 ? message : message.left(details))
                        << '\n';
    return ExitUnreadable;
}

} // namespace shapescope::cli
