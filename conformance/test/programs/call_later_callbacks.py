import asyncio


def hello_world(loop, name):
    print(f'Hello {name}')


def stop_loop(loop):
    print('stopping')
    loop.stop()


loop = asyncio.new_event_loop()
loop.call_soon(hello_world, loop, "soon")
loop.call_later(0.02, hello_world, loop, "later")
loop.call_later(0.01, hello_world, loop, "earlier")
handle = loop.call_later(0.015, hello_world, loop, "never")
handle.cancel()
print(handle.cancelled())
loop.call_later(0.05, stop_loop, loop)
try:
    loop.run_forever()
finally:
    loop.close()
print("done")
