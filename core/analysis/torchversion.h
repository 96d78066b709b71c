// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/expected.h"
#include "tensor/tensorinfo.h"

#include <QString>
#include <compare>
#include <optional>
#include <vector>

namespace shapescope {

// A PyTorch release as ShapeScope tells them apart: major.minor (patch releases change no
// message or check ShapeScope quotes).
struct TorchVersion
{
    int major = 0;
    int minor = 0;

    QString toString() const; // "2.15"
    friend auto operator<=>(const TorchVersion&, const TorchVersion&) = default;
};

// "1.13.0a0", "2.15.0+cpu", "2.3", "v2.1.2" -> the version; nullopt for anything else.
std::optional<TorchVersion> parseTorchVersion(const QString& text);

// 1.13 and every 2.x release from 2.0 to the newest, oldest first.
const std::vector<TorchVersion>& supportedTorchVersions();
TorchVersion newestTorch();
bool isSupportedTorch(TorchVersion version);
QString supportedTorchText(); // "1.13 and 2.0 to 2.15"
// The version `text` names, or an error saying what is supported (for --torch and the
// environment variable; `origin` names where the text came from).
Expected<TorchVersion> supportedTorch(const QString& text, const QString& origin);

// Why the analysis speaks for its version, strongest first.
enum class TorchSource
{
    CommandLine, // --torch
    Settings,    // the GUI's Loss settings
    Environment, // SHAPESCOPE_TORCH_VERSION
    Dump,        // the torch_version the capture code stored in the dump
    Default,     // none of them: the newest supported
};

inline constexpr char torchVersionVariable[] = "SHAPESCOPE_TORCH_VERSION";

// SHAPESCOPE_TORCH_VERSION's version; nullopt when unset or empty, an error when it names
// no supported version.
Expected<std::optional<TorchVersion>> torchVersionFromEnvironment();

// The version a dump records: the root attribute torch_version (or torch.__version__,
// __torch_version__) the capture code writes; empty when there is none.
QString recordedTorchVersion(const std::vector<GroupInfo>& groups);

// The version an analysis speaks for and why.
struct TorchChoice
{
    TorchVersion version;
    TorchSource source = TorchSource::Default;
    QString recorded; // the dump's own text, when it records one

    // "torch 2.15 (from --torch)", "torch 1.13 (recorded in the dump: 1.13.1+cu117)"
    QString describe() const;
    QString sourceName() const; // "--torch", "settings", "environment", "dump", "default"
    // Who says so, for a verdict note: "your dump says 1.13", "--torch says 2.15".
    QString speaksFor() const;
};

// Precedence: an explicit choice (command line or settings, else the environment) over the
// version the dump records, over the newest supported. A recorded version ShapeScope does not
// support falls back to the newest, and describe() says so.
TorchChoice chooseTorch(std::optional<TorchVersion> requested, TorchSource requestedSource,
                        const QString& recorded);

} // namespace shapescope
