#pragma once

// Adapts a hub subscription to an HTTP event stream (text/event-stream).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "events/hub.hpp"
#include "http/request.hpp"

namespace glucoplay::events {

// Subscribes to `topic` and returns a 200 response that streams its messages, starting with
// `initial` (e.g. the current state, or what a reconnecting client missed).
http::Response sse_response(Hub& hub, const std::string& topic, std::vector<Message> initial = {});

// For resumable streams (Last-Event-ID): subscribes first, then calls `backlog` for what the
// client missed, so nothing published in between is lost. Messages carry increasing numeric ids;
// a live message whose id is not above the last backlog id was already sent and is skipped.
// A client too slow for its bounded queue is disconnected rather than silently skipped: it
// reconnects with its Last-Event-ID and reads what it missed from the backlog.
http::Response sse_response(Hub& hub, const std::string& topic,
                            std::function<std::vector<Message>()> backlog);

}  // namespace glucoplay::events
