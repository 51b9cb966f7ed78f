#pragma once

// Adapts a hub subscription to an HTTP event stream (text/event-stream).

#include <memory>
#include <string>
#include <vector>

#include "events/hub.hpp"
#include "http/request.hpp"

namespace glucoplay::events {

// Subscribes to `topic` and returns a 200 response that streams its messages, starting with
// `initial` (e.g. the current state, or what a reconnecting client missed).
http::Response sse_response(Hub& hub, const std::string& topic, std::vector<Message> initial = {});

}  // namespace glucoplay::events
