#pragma once
// The whole reference loop: `#include <asyncio/asyncio.hpp>`.
#include "asyncio/coroutines.hpp"
#include "asyncio/events.hpp"
#include "asyncio/exceptions.hpp"
#include "asyncio/futures.hpp"
#include "asyncio/gather.hpp"
#include "asyncio/locks.hpp"
#include "asyncio/queues.hpp"
#include "asyncio/runners.hpp"
#include "asyncio/sleep.hpp"
#include "asyncio/tasks.hpp"
#include "asyncio/wait.hpp"
