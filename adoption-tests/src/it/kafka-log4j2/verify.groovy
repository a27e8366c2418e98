// The app printed its verdict (it throws, and the build fails, on any broken expectation).
def log = new File(basedir, 'build.log').text
assert log.contains('ADOPTION OK') : 'the app did not report success'

// What the user resolved is Baton's published pom: flattened, no parent, no dependencyManagement
// (none of the build's test-only BOM imports), slf4j-api 2.x declared by baton-kafka itself.
def repo = localRepositoryPath as File
def kafkaPoms = new File(repo, 'io/baton/baton-kafka').listFiles().collectMany { dir ->
  (dir.listFiles() ?: []).findAll { it.name.endsWith('.pom') }
}
assert !kafkaPoms.isEmpty() : 'baton-kafka pom not installed'
kafkaPoms.each { pom ->
  def text = pom.text
  assert !text.contains('<parent>') : "${pom} has a parent"
  assert !text.contains('<dependencyManagement>') : "${pom} has dependencyManagement"
  def project = new groovy.xml.XmlSlurper().parseText(text)
  def slf4j = project.dependencies.dependency.find { it.artifactId.text() == 'slf4j-api' }
  assert slf4j.version.text().startsWith('2.') : "${pom} does not declare slf4j-api 2.x"
}
return true
