# A bare `raise` keeps the traceback as it is; `raise e` again adds this frame's line on top.
def work():
    raise KeyError("job")


def retry():
    try:
        work()
    except KeyError:
        print("retrying")
        raise


def again():
    try:
        retry()
    except KeyError as e:
        err = e
    raise err


again()
