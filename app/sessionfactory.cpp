#include "sessionfactory.h"

#include "session/inprocesssession.h"

namespace shapescope::cli {

void addSessionOptions(QCommandLineParser& parser)
{
    Q_UNUSED(parser);
}

Expected<std::unique_ptr<Session>> createSession(const QCommandLineParser& parser)
{
    Q_UNUSED(parser);
    return std::unique_ptr<Session>(std::make_unique<InProcessSession>());
}

} // namespace shapescope::cli
