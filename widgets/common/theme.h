// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

namespace shapescope {

// View > Theme: the platform's look, or Fusion with a light or a dark palette. Custom-painted
// views read their colours from the palette, so they follow.
enum class Theme
{
    System,
    Light,
    Dark
};

QString themeName(Theme theme); // "system", "light", "dark"
std::optional<Theme> themeFromName(const QString& name);

void applyTheme(Theme theme);
Theme savedTheme();
void saveTheme(Theme theme);

} // namespace shapescope
