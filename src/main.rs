fn main() {
    massage_intake::start();
}
