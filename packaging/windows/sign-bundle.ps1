# Sign every program file in the Windows bundle before it goes into the MSI:
# every .exe, .dll and .pyd under "dist\PLO Tracker" (about 440 files), not only the two
# launchers, so Windows Defender Application Control / AppLocker rules that require a
# signature allow all of them.  Files that already carry a valid signature (Microsoft's
# runtime DLLs, Qt's) are left as they are.  Untested here (the project's CI runs Linux).
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\sign-bundle.ps1 `
#       -TimestampUrl http://timestamp.example.net -CertificateThumbprint 0123ABCD...
#
# Needs signtool.exe (Windows SDK) on PATH and the council's code-signing certificate in
# the current user's or the machine's certificate store.
param(
    [string]$Bundle = "dist\PLO Tracker",
    [Parameter(Mandatory = $true)][string]$TimestampUrl,
    [Parameter(Mandatory = $true)][string]$CertificateThumbprint
)
$ErrorActionPreference = "Stop"
$files = Get-ChildItem -Path $Bundle -Recurse -File -Include *.exe, *.dll, *.pyd
$unsigned = @($files | Where-Object { (Get-AuthenticodeSignature $_.FullName).Status -ne "Valid" })
Write-Host "$($files.Count) program files; $($unsigned.Count) to sign."
# signtool takes many files at once; batches keep the command line short.
for ($i = 0; $i -lt $unsigned.Count; $i += 50) {
    $batch = $unsigned[$i..([Math]::Min($i + 49, $unsigned.Count - 1))] | ForEach-Object { $_.FullName }
    & signtool sign /fd SHA256 /td SHA256 /tr $TimestampUrl /sha1 $CertificateThumbprint $batch
    if ($LASTEXITCODE -ne 0) { throw "signtool failed (exit $LASTEXITCODE)" }
}
$left = @($files | Where-Object { (Get-AuthenticodeSignature $_.FullName).Status -ne "Valid" })
if ($left.Count -gt 0) {
    $left | ForEach-Object { Write-Host "Not signed: $($_.FullName)" }
    throw "$($left.Count) files are still not signed."
}
Write-Host "Every program file in $Bundle is signed."
