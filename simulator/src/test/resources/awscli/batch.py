"""Runs AWS CLI commands one after another in one Python process, for AwsCliTest.

The `aws` script is `sys.exit(awscli.clidriver.main())`, and main() is `create_clidriver().main()`: this
calls the same driver, with a new driver (a new botocore session) for every command, so each command reads
its environment afresh exactly as a new `aws` process would. What it saves is the interpreter's start and
the imports, about a second a command. One request per line on standard input:
{"args": [...], "env": {...}, "out": "/path"}; one answer per line on standard output: {"code": N}.
"""
import json
import logging
import os
import sys

from awscli.clidriver import create_clidriver

protocol = sys.stdout


def loggers():
    return [logging.getLogger()] + [l for l in logging.Logger.manager.loggerDict.values() if isinstance(l, logging.Logger)]


for line in sys.stdin:
    request = json.loads(line)
    saved_env = dict(os.environ)
    saved_loggers = {id(l): (l, list(l.handlers), l.level) for l in loggers()}
    env = dict(request.get("env", {}))
    if "AWS_DATA_PATH" in env:
        # as awscli/__init__.py does at import in a new process: the request's paths first, then the CLI's own
        env["AWS_DATA_PATH"] = os.pathsep.join([env["AWS_DATA_PATH"], saved_env["AWS_DATA_PATH"]])
    os.environ.update(env)
    code = 255
    with open(request["out"], "w", encoding="utf-8") as out:
        sys.stdout = sys.stderr = out
        try:
            code = create_clidriver().main(request["args"])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException as e:  # noqa: B902 - report any failure as the CLI's own would be
            print("batch.py: %s: %s" % (type(e).__name__, e))
        finally:
            sys.stdout, sys.stderr = protocol, sys.__stderr__
            # --debug adds handlers to botocore's loggers; the next command must not inherit them
            for logger in loggers():
                kept = saved_loggers.get(id(logger))
                logger.handlers[:] = kept[1] if kept else []
                logger.setLevel(kept[2] if kept else logging.NOTSET)
            os.environ.clear()
            os.environ.update(saved_env)
    protocol.write(json.dumps({"code": code if isinstance(code, int) else 1}) + "\n")
    protocol.flush()
