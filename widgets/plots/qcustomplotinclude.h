// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// qcustomplot.h declares its signals with the `signals` keyword and loops with `foreach`, both of
// which the project switches off (QT_NO_KEYWORDS, QT_NO_FOREACH). Define them for that header
// alone; ShapeScope's own code keeps Q_SIGNALS and range-for.
#ifndef QCUSTOMPLOT_H
#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define SHAPESCOPE_QCP_SIGNALS
#endif
#ifndef foreach
#define foreach(declaration, container) for (declaration : container)
#define SHAPESCOPE_QCP_FOREACH
#endif
#include <qcustomplot.h>
#ifdef SHAPESCOPE_QCP_SIGNALS
#undef signals
#undef SHAPESCOPE_QCP_SIGNALS
#endif
#ifdef SHAPESCOPE_QCP_FOREACH
#undef foreach
#undef SHAPESCOPE_QCP_FOREACH
#endif
#endif
