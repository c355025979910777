"""countyhealth account: the first account is an administrator and turns sign-in on; then only an administrator
adds, lists, resets and disables; the passwords come from the environment for a script."""

from __future__ import annotations

from desktop.cli import main
from tests.test_accounts import PASSWORD


def test_accounts_from_the_command_line(db, capsys, monkeypatch):
    path = str(db.target)
    db.close()

    def run(*args, password=PASSWORD, new=None):
        monkeypatch.setenv("COUNTYHEALTH_PASSWORD", password)
        if new is None:
            monkeypatch.delenv("COUNTYHEALTH_NEW_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("COUNTYHEALTH_NEW_PASSWORD", new)
        code = main(["account", *args, "--db", path])
        out = capsys.readouterr()
        return code, out.out + out.err

    assert run("list") == (0, "尚未设置账号：本数据库不需要登录。\n")
    code, said = run("add", "小李", "--role", "查看员")
    assert code == 2 and "第一个账号必须是管理员" in said
    said = "已添加账号“老王”（管理员）；本数据库自此需要登录，身份证号码和电话号码已加密保存（含已有备份）。\n"
    assert run("add", "老王", "--role", "管理员") == (0, said)
    code, said = run("add", "小李", "--role", "查看员")
    assert code == 2 and "--user" in said  # sign-in is on now
    assert run("add", "小李", "--role", "查看员", "--user", "老王", new="小李的密码2026")[0] == 0
    code, said = run("add", "小王", "--role", "录入员", "--user", "小李", password="小李的密码2026", new="x" * 12)
    assert code == 2 and "无权管理账号" in said
    code, said = run("list", "--user", "老王")
    assert code == 0 and "老王  管理员  启用" in said and "小李  查看员  启用" in said
    assert run("passwd", "小李", "--user", "老王", new="新的小李密码99")[0] == 0
    assert run("list", "--user", "小李", password="新的小李密码99")[0] == 0  # signs in with the new one
    assert run("disable", "小李", "--user", "老王") == (0, "已停用账号“小李”。\n")
    code, said = run("disable", "老王", "--user", "老王")
    assert code == 2 and "至少要保留一个启用的管理员账号" in said
