; Inno Setup 6 script: the Windows installer of CountyHealth Desk (县域卫生健康台账).
; Per-user install without administrator rights, Chinese wizard, Start-menu and desktop shortcuts; the
; uninstaller keeps the user's database unless asked. Build on Windows, after `pyinstaller` has made
; dist\countyhealth-desk\ (see README.md, "Windows"):
;   dist\countyhealth-desk\countyhealth-desk.exe --save-manual dist\countyhealth-desk\使用说明.pdf
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\countyhealth-desk.iss
; The version can be given with /DAppVersion=0.1.0.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "县域卫生健康台账"
#define AppExe "countyhealth-desk.exe"
; Where platformdirs puts the database and logs: %LOCALAPPDATA%\CountyHealthDesk (desktop/paths.py).
#define DataDir "{localappdata}\CountyHealthDesk"

[Setup]
; The AppId ties upgrades and the uninstaller to this app: never change it.
AppId={{6C1B7C52-3E0B-4C8E-9A1F-2D7E5B9C4A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CountyHealth Desk
; No administrator rights: {autopf} is then %LOCALAPPDATA%\Programs, the shortcuts the user's own.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\CountyHealthDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=countyhealth-desk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
; The app holds an OS lock on its database while open; close it before files are replaced.
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
; Inno Setup ships no Simplified Chinese: English messages, overridden by our own translation.
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl,zh_CN.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\countyhealth-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{#AppName}使用说明"; Filename: "{app}\使用说明.pdf"
Name: "{group}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; A check of the installation that leaves a log in %LOCALAPPDATA%\CountyHealthDesk\Logs\selftest.log.
Filename: "{app}\{#AppExe}"; Parameters: "--self-test"; StatusMsg: "正在自检…"; Flags: runhidden waituntilterminated
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Bytecode of the migration scripts, should an older build have written it beside them; not user data.
Type: filesandordirs; Name: "{app}\_internal\db\migrations\__pycache__"
Type: filesandordirs; Name: "{app}\_internal\db\migrations\versions\__pycache__"

[Code]
// The database, its backups and the logs are the bureau's records: removed only when the user says so,
// never in a silent uninstall (an upgrade runs the old uninstaller silently).
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{#DataDir}');
  if UninstallSilent or not DirExists(DataDir) then
    Exit;
  if MsgBox('程序已卸载。是否同时删除本机的台账数据库、备份和日志？' + #13#10 + #13#10 +
            DataDir + #13#10 + #13#10 +
            '选择“否”将保留这些数据，重新安装后可继续使用。删除后无法恢复。',
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DelTree(DataDir, True, True, True);
end;
