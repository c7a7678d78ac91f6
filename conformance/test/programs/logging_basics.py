# logging as programs use it: the last-resort handler, basicConfig's format, the logger hierarchy and
# propagation, levels by name, a StreamHandler on stdout with a '{' Formatter, module-level calls.
import logging, sys
logging.getLogger("a.b").warning("no handler: %s", "last resort")
log = logging.getLogger("app")
print(log, logging.getLogger(), logging.root is logging.getLogger(""))
log.info("dropped")
logging.basicConfig(level=logging.DEBUG, format="%(levelname)7s %(name)s %(module)s:%(lineno)d: %(message)s")
log.debug("debug %d", 1)
child = logging.getLogger("app.child")
print(child.parent is log, child.getEffectiveLevel(), log.isEnabledFor(logging.DEBUG))
child.info("from %(who)s", {"who": "child"})
log.setLevel("WARNING")
child.info("dropped too")
child.error("error")
log.propagate = False
child.critical("nobody: last resort? no, app has no handlers and stops propagation")
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter("{name} | {message}", style="{"))
log.addHandler(h)
child.warning("to stdout")
print(logging.getLevelName(20), logging.getLevelName("ERROR"), logging.getLevelName(15))
logging.info("module-level %s", "info")
logging.log(logging.ERROR, "via log")
try:
    logging.basicConfig(bogus=1, force=True)
except ValueError as e:
    print(e)
