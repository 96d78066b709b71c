// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/analysisresult.h"
#include "common/expected.h"

#include <QString>

namespace shapescope {

struct MarkdownOptions
{
    // A plot written next to the report, linked relative to it ("run-per-batch.png"); none when
    // empty.
    QString plotImage;
    QString plotCaption;
    // Samples listed in the highest-loss table (over every pair), 0 for none.
    int highestLossRows = 10;
};

// The report for issues and pull requests (`shapescope check --markdown`, File > Export Report
// as Markdown): a summary line, the plot, each diagnostic with PyTorch's text, the cause and
// the fix in code blocks, the pairs with their losses, the highest-loss samples and the tensors.
QString analysisToMarkdown(const AnalysisResult& result, const MarkdownOptions& options = {});
// The report into the file `path`, atomically, never over `protectedPath` (atomicwrite.h). The
// plot image, when options name one, is drawn by widgets (plots/plotexport.h); the report
// itself needs no QApplication.
Status saveMarkdownReport(const AnalysisResult& result, const QString& path,
                          const QString& protectedPath, const MarkdownOptions& options = {});

} // namespace shapescope
