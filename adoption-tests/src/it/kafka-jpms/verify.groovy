// The app printed its verdict from the module path (it throws, and the build fails, on any broken
// expectation). The published poms are checked by kafka-logback's verify.groovy.
def log = new File(basedir, 'build.log').text
assert log.contains('ADOPTION OK (module path)') : 'the app did not report success as a module'
return true
